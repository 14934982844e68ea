import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN, ALICE, BOB, CAROL, claimsOf, hs256WithPublicKey, startIdentity, tamper, unsigned, type Identity } from '../support/identity';
import { listRoutes } from '../support/routes';

/**
 * Every route of the running API times every kind of caller, each cell asserting the exact
 * status. A route added without an entry in ROUTES fails the first test: access rules are
 * declared, never assumed.
 */
type Access = 'public' | 'authenticated' | 'operator' | 'member-or-operator';

interface Fixture {
  carolId: string;
  erinId: string;
  /** Alice owns it; Bob is not a member. */
  tenant: string;
  partner: string;
  /** Terminated again and again by DELETE (idempotent). */
  doomedPartner: string;
  /** A domain of the tenant, verified: checking or marking it again succeeds every time. */
  verifiedDomain: string;
  /** Domains of the tenant, one for each cell of DELETE to remove. */
  removableDomains: string[];
  /** A flag at version 2, and its ETag: the one allowed cell reverts it to version 1. */
  revertible: { key: string; etag: string };
  /** A webhook endpoint on a closed loopback port (every delivery to it fails), and one delivery of it. */
  webhook: { id: string; deliveryId: string };
  /** Deleted by the one allowed cell. */
  doomedWebhook: string;
  /** A protected flag and its ETag, which change requests are drafted against. */
  guarded: { key: string; etag: string };
  /** Pending change requests: the operator admin's own (edited and rebased, withdrawn) and Frank's (approved, rejected). */
  requests: { mine: string; mineToWithdraw: string; franksToApprove: string; franksToReject: string };
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

interface RouteCase {
  access: Access;
  /** Concrete path and body of a request that succeeds for an allowed caller. */
  request?: (f: Fixture) => { path?: string; body?: object; headers?: Record<string, string> };
  /** Success status for allowed callers (default 200). */
  ok?: number;
  /** Status for a signed-in caller the rule refuses, where it is not the default 404/403. */
  denied?: number;
}

/** A step well inside the planning horizon, never due while the matrix runs. */
const MATRIX_PLAN = { steps: [{ at: new Date(Date.now() + 200 * 86_400_000).toISOString(), state: 'on' }] };

const ROUTES: Record<string, RouteCase> = {
  'GET /health': { access: 'public' },
  'GET /health/ready': { access: 'public' },
  'GET /health/live': { access: 'public' },
  'GET /docs': { access: 'public' },
  'GET /docs/': { access: 'public' },
  'GET /docs/index.html': { access: 'public' },
  'GET /docs/swagger-ui-init.js': { access: 'public' },
  'GET /docs/docs/swagger-ui-init.js': { access: 'public' },
  // Registered by Swagger UI's static handler; swagger-ui-dist ships no such file.
  'GET /docs/LICENSE': { access: 'public', ok: 404 },
  'GET /openapi.json': { access: 'public' },
  'GET /me': { access: 'authenticated' },
  'GET /ping': { access: 'authenticated' },
  'GET /users': { access: 'operator' },
  'GET /users/:id': { access: 'operator', request: (f) => ({ path: `/users/${f.carolId}` }) },
  // Idempotent: revokes a right Erin never had, so every admin cell can repeat it.
  'PATCH /users/:id': { access: 'operator', request: (f) => ({ path: `/users/${f.erinId}`, body: { platformAdmin: false } }) },
  'GET /tenants': { access: 'authenticated' },
  'POST /tenants': { access: 'authenticated', ok: 201, request: () => ({ body: { slug: unique('t'), name: 'Matrix tenant' } }) },
  'GET /tenants/:slug': { access: 'member-or-operator', request: (f) => ({ path: `/tenants/${f.tenant}` }) },
  'GET /tenants/:slug/flags': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/flags` }) },
  'POST /tenants/:slug/flags/impact': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/flags/impact`, body: { plan: 'enterprise' } }) },
  'PATCH /tenants/:slug': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}`, body: { name: 'Matrix Co' } }) },
  'POST /tenants/:slug/suspend': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/suspend` }) },
  'POST /tenants/:slug/resume': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/resume` }) },
  'POST /tenants/:slug/reconcile': { access: 'member-or-operator', request: (f) => ({ path: `/tenants/${f.tenant}/reconcile` }) },
  'GET /tenants/:slug/subscription': { access: 'member-or-operator', request: (f) => ({ path: `/tenants/${f.tenant}/subscription` }) },
  'PATCH /tenants/:slug/subscription': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/subscription`, body: { seats: 3 } }) },
  'POST /tenants/:slug/domains': { access: 'member-or-operator', ok: 201, request: (f) => ({ path: `/tenants/${f.tenant}/domains`, body: { domain: `${unique('d')}.example` } }) },
  'DELETE /tenants/:slug/domains/:domain': { access: 'member-or-operator', ok: 204, request: (f) => ({ path: `/tenants/${f.tenant}/domains/${f.removableDomains.pop()}` }) },
  'POST /tenants/:slug/domains/:domain/verify': { access: 'member-or-operator', request: (f) => ({ path: `/tenants/${f.tenant}/domains/${f.verifiedDomain}/verify` }) },
  'POST /tenants/:slug/domains/:domain/mark-verified': { access: 'operator', request: (f) => ({ path: `/tenants/${f.tenant}/domains/${f.verifiedDomain}/mark-verified` }) },
  'GET /partners': { access: 'operator' },
  'POST /partners': { access: 'operator', ok: 201, request: () => ({ body: { slug: unique('p'), name: 'Matrix partner', domain: 'partner.example', marginPct: 10 } }) },
  'GET /partners/:slug': { access: 'operator', request: (f) => ({ path: `/partners/${f.partner}` }) },
  'PATCH /partners/:slug': { access: 'operator', request: (f) => ({ path: `/partners/${f.partner}`, body: { marginPct: 15 } }) },
  'GET /partners/:slug/tenants': { access: 'operator', request: (f) => ({ path: `/partners/${f.partner}/tenants` }) },
  'DELETE /partners/:slug': { access: 'operator', request: (f) => ({ path: `/partners/${f.doomedPartner}` }) },
  'GET /audit': { access: 'operator' },
  'GET /flags': { access: 'operator' },
  'POST /flags': { access: 'operator', ok: 201, request: () => ({ body: { key: unique('flag').replace(/-/g, '_'), description: 'Matrix flag' } }) },
  'POST /flags/evaluate': { access: 'member-or-operator', request: (f) => ({ body: { tenantSlug: f.tenant } }) },
  'GET /flags/:key': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2' }) },
  'PATCH /flags/:key': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2', body: { description: 'Self-service GDPR export' } }) },
  // Only the operator admin's cell gets through, and it runs once.
  'DELETE /flags/:key': { access: 'operator', ok: 204, request: () => ({ path: '/flags/webmail_dark_mode' }) },
  'GET /flags/:key/explain': { access: 'operator', request: (f) => ({ path: `/flags/gdpr_export_v2/explain?tenant=${f.tenant}` }) },
  'GET /flags/:key/versions/:version': { access: 'operator', request: (f) => ({ path: `/flags/${f.revertible.key}/versions/1` }) },
  'POST /flags/:key/revert': {
    access: 'operator',
    request: (f) => ({ path: `/flags/${f.revertible.key}/revert`, body: { version: 1 }, headers: { 'If-Match': f.revertible.etag } }),
  },
  // Idempotent: a flag already off at 0% is answered as it is, so every admin cell can repeat it.
  'POST /flags/:key/kill': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2/kill' }) },
  'GET /flag-usage': { access: 'operator' },
  // Idempotent both: keeping a kept flag, or unkeeping one not kept, changes nothing.
  'PUT /flags/:key/keep': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2/keep' }) },
  'DELETE /flags/:key/keep': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2/keep' }) },
  'GET /webhooks': { access: 'operator' },
  'POST /webhooks': { access: 'operator', ok: 201, request: () => ({ body: { url: 'http://127.0.0.1:9/matrix', events: ['flag.*'] } }) },
  'GET /webhooks/:id': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}` }) },
  'PATCH /webhooks/:id': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}`, body: { description: 'Matrix endpoint' } }) },
  'DELETE /webhooks/:id': { access: 'operator', ok: 204, request: (f) => ({ path: `/webhooks/${f.doomedWebhook}` }) },
  'POST /webhooks/:id/rotate-secret': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}/rotate-secret` }) },
  'POST /webhooks/:id/test': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}/test` }) },
  'GET /webhooks/:id/deliveries': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}/deliveries` }) },
  'POST /webhooks/:id/deliveries/:deliveryId/resend': { access: 'operator', request: (f) => ({ path: `/webhooks/${f.webhook.id}/deliveries/${f.webhook.deliveryId}/resend` }) },
  // Idempotent: a protected flag is answered as it is.
  'POST /flags/:key/protect': { access: 'operator', request: (f) => ({ path: `/flags/${f.guarded.key}/protect` }) },
  'POST /flags/:key/change-requests': {
    access: 'operator',
    ok: 201,
    request: (f) => ({ path: `/flags/${f.guarded.key}/change-requests`, body: { description: unique('Matrix draft') }, headers: { 'If-Match': f.guarded.etag } }),
  },
  'GET /change-requests': { access: 'operator', request: () => ({ path: '/change-requests?status=pending' }) },
  'GET /change-requests/:id': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.mine}` }) },
  'PATCH /change-requests/:id': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.mine}`, body: { description: unique('Matrix edit') } }) },
  'POST /change-requests/:id/rebase': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.mine}/rebase` }) },
  // Only the operator admin's cell gets through, once each; Frank wrote these.
  'POST /change-requests/:id/approve': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.franksToApprove}/approve`, body: { comment: 'Matrix approval' } }) },
  'POST /change-requests/:id/reject': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.franksToReject}/reject`, body: { comment: 'Matrix rejection' } }) },
  'POST /change-requests/:id/withdraw': { access: 'operator', request: (f) => ({ path: `/change-requests/${f.requests.mineToWithdraw}/withdraw` }) },
  'POST /flags/:key/impact': { access: 'operator', request: () => ({ path: '/flags/gdpr_export_v2/impact', body: { state: 'rollout', pct: 50 } }) },
  // A plan a year ahead on a flag of its own: setting it again, pausing, resuming and cancelling all repeat.
  'GET /flags/:key/schedule': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule' }) },
  'PUT /flags/:key/schedule': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule', body: MATRIX_PLAN }) },
  'POST /flags/:key/schedule/preview': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule/preview', body: MATRIX_PLAN }) },
  'POST /flags/:key/schedule/pause': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule/pause' }) },
  'POST /flags/:key/schedule/resume': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule/resume' }) },
  'DELETE /flags/:key/schedule': { access: 'operator', request: () => ({ path: '/flags/matrix_flag/schedule' }) },
  // OFREP answers a tenant the caller cannot see with INVALID_CONTEXT (400), whether it exists or not.
  // Authenticated by the signed grant in its URL (from a bulk evaluation), never by a bearer
  // token: without a grant every caller gets 401 (ofrep-events.spec covers the grants).
  'GET /ofrep/v1/events': { access: 'public', ok: 401 },
  'POST /ofrep/v1/evaluate/flags': { access: 'member-or-operator', denied: 400, request: (f) => ({ body: { context: { targetingKey: f.tenant } } }) },
  'POST /ofrep/v1/evaluate/flags/:key': {
    access: 'member-or-operator',
    denied: 400,
    request: (f) => ({ path: '/ofrep/v1/evaluate/flags/gdpr_export_v2', body: { context: { targetingKey: f.tenant } } }),
  },
};

type CallerName =
  | 'anonymous'
  | 'malformed token'
  | 'expired token'
  | 'wrong issuer'
  | 'wrong audience'
  | 'alg none'
  | 'HS256 with the public key'
  | 'tampered payload'
  | 'portal member'
  | 'portal non-member'
  | 'operator token, not admin'
  | 'admin with a portal token'
  | 'operator admin';

const INVALID: CallerName[] = [
  'anonymous',
  'malformed token',
  'expired token',
  'wrong issuer',
  'wrong audience',
  'alg none',
  'HS256 with the public key',
  'tampered payload',
];
const VALID: CallerName[] = ['portal member', 'portal non-member', 'operator token, not admin', 'admin with a portal token', 'operator admin'];

const TOKEN_403 = 'This endpoint requires an operator-scoped token';
const ADMIN_403 = 'This endpoint requires a platform administrator';

function expected(access: Access, caller: CallerName, ok: number, denied = 404): { status: number; message?: string } {
  if (access === 'public') return { status: ok };
  if (INVALID.includes(caller)) return { status: 401 };
  if (access === 'authenticated') return { status: ok };
  if (access === 'operator') {
    if (caller === 'operator admin') return { status: ok };
    if (caller === 'operator token, not admin') return { status: 403, message: ADMIN_403 };
    return { status: 403, message: TOKEN_403 };
  }
  // member-or-operator: the tenant's member and operators succeed; anyone else must not learn it exists.
  return { status: caller === 'operator admin' || caller === 'portal member' ? ok : denied };
}

describe('permission matrix', () => {
  let id: Identity;
  let t: TestApp;
  let fixture: Fixture;
  const tokens = new Map<CallerName, string | undefined>();

  beforeAll(async () => {
    id = await startIdentity();
    // Webhook endpoints on loopback: the matrix's endpoint is a closed port, every attempt fails at once.
    t = await createTestApp({ ...id.env, WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_POLL_MS: '0' });
    const http = () => request(t.app.getHttpServer());
    const now = Math.floor(Date.now() / 1000);
    const adminOperator = await id.token('operator', ADMIN);
    const alice = await id.token('portal', ALICE);
    tokens.set('anonymous', undefined);
    tokens.set('malformed token', 'eyJhbGciOiJSUzI1NiJ9.not-base64!.x');
    tokens.set('expired token', await id.sign('operator', { sub: 'user-admin', email: ADMIN }, { issuedAt: now - 3600, expiresAt: now - 120 }));
    tokens.set('wrong issuer', tamper(adminOperator, { iss: 'https://login.example.com/application/o/dezky-operator/' }));
    tokens.set('wrong audience', await id.sign('operator', { sub: 'user-admin', email: ADMIN, aud: 'another-app' }));
    tokens.set('alg none', unsigned(claimsOf(adminOperator)));
    tokens.set('HS256 with the public key', await hs256WithPublicKey(claimsOf(adminOperator), id.publicJwk('operator')));
    tokens.set('tampered payload', tamper(alice, { sub: 'user-admin', email: ADMIN }));
    tokens.set('portal member', alice);
    tokens.set('portal non-member', await id.token('portal', BOB));
    tokens.set('operator token, not admin', await id.token('operator', CAROL));
    tokens.set('admin with a portal token', await id.token('portal', ADMIN));
    tokens.set('operator admin', adminOperator);

    const me = async (token: string) => (await http().get('/me').auth(token, { type: 'bearer' })).body.profile as { id: string };
    const carol = await me(tokens.get('operator token, not admin')!);
    const erin = await me(await id.sign('portal', { sub: 'user-erin', email: 'erin@customer.test', name: 'Erin' }));
    const created = await http().post('/tenants').auth(alice, { type: 'bearer' }).send({ slug: 'matrix-co', name: 'Matrix Co' });
    expect(created.status).toBe(201);
    for (const slug of ['matrix-partner', 'doomed-partner']) {
      const p = await http().post('/partners').auth(adminOperator, { type: 'bearer' }).send({ slug, name: slug, domain: `${slug}.example`, marginPct: 20 });
      expect(p.status).toBe(201);
    }
    const removableDomains = Array.from({ length: INVALID.length + VALID.length }, (_, i) => `removable-${i}.matrix.example`);
    const withDomains = await http()
      .patch('/tenants/matrix-co')
      .auth(adminOperator, { type: 'bearer' })
      .send({ domains: ['verified.matrix.example', ...removableDomains] });
    expect(withDomains.status).toBe(200);
    expect((await http().post('/tenants/matrix-co/domains/verified.matrix.example/mark-verified').auth(adminOperator, { type: 'bearer' })).status).toBe(200);
    expect((await http().post('/flags').auth(adminOperator, { type: 'bearer' }).send({ key: 'matrix_flag', description: 'Matrix flag' })).status).toBe(201);
    const changed = await http().patch('/flags/matrix_flag').auth(adminOperator, { type: 'bearer' }).send({ state: 'on' });
    expect(changed.status).toBe(200);
    const hook = async () => {
      const res = await http().post('/webhooks').auth(adminOperator, { type: 'bearer' }).send({ url: 'http://127.0.0.1:9/matrix', events: ['flag.kill'] });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const webhookId = await hook();
    const ping = await http().post(`/webhooks/${webhookId}/test`).auth(adminOperator, { type: 'bearer' });
    expect(ping.status).toBe(200);

    // A second operator administrator, so flags can be protected and requests reviewed by someone other than their author.
    const frank = await id.sign('operator', { sub: 'user-frank', email: 'frank@dezky.test', name: 'Frank' });
    expect((await http().patch(`/users/${(await me(frank)).id}`).auth(adminOperator, { type: 'bearer' }).send({ platformAdmin: true })).status).toBe(200);
    const as = (token: string) => ({
      post: (path: string, body: object = {}, ifMatch?: string) => {
        const req = http().post(path).auth(token, { type: 'bearer' });
        return (ifMatch ? req.set('If-Match', ifMatch) : req).send(body);
      },
    });
    const guarded: Record<string, string> = {};
    for (const key of ['matrix_guarded', 'matrix_approvable']) {
      expect((await as(adminOperator).post('/flags', { key, description: key })).status).toBe(201);
      const protectedFlag = await as(adminOperator).post(`/flags/${key}/protect`);
      expect(protectedFlag.status).toBe(200);
      guarded[key] = protectedFlag.headers.etag as string;
    }
    const changeRequest = async (token: string, key: string, description: string): Promise<string> => {
      const res = await as(token).post(`/flags/${key}/change-requests`, { description }, guarded[key]);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    fixture = {
      webhook: { id: webhookId, deliveryId: ping.body.id },
      doomedWebhook: await hook(),
      revertible: { key: 'matrix_flag', etag: changed.headers.etag as string },
      guarded: { key: 'matrix_guarded', etag: guarded.matrix_guarded! },
      requests: {
        mine: await changeRequest(adminOperator, 'matrix_guarded', 'Mine'),
        mineToWithdraw: await changeRequest(adminOperator, 'matrix_guarded', 'Mine, withdrawn'),
        franksToApprove: await changeRequest(frank, 'matrix_approvable', "Frank's, approved"),
        franksToReject: await changeRequest(frank, 'matrix_guarded', "Frank's, rejected"),
      },
      carolId: carol.id,
      erinId: erin.id,
      tenant: 'matrix-co',
      partner: 'matrix-partner',
      doomedPartner: 'doomed-partner',
      verifiedDomain: 'verified.matrix.example',
      removableDomains,
    };
  });

  afterAll(async () => {
    await t?.close();
    await id?.close();
  });

  it('has an access rule for every route the API serves, and no stale ones', () => {
    // Catch-alls (`*path`, `{/*splat}`) only answer 404 for paths nothing else serves.
    const served = listRoutes(t.app)
      .filter((r) => !r.path.includes('*'))
      .map((r) => `${r.method} ${r.path}`);
    const missing = served.filter((r) => !(r in ROUTES));
    expect(missing, 'routes without an access rule in ROUTES').toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !served.includes(r)), 'rules for routes that do not exist').toEqual([]);
  });

  const cells = Object.entries(ROUTES).flatMap(([route, rule]) => [...INVALID, ...VALID].map((caller) => [route, caller, rule] as const));

  it.each(cells)('%s as %s', async (route, caller, rule) => {
    const [method, template] = route.split(' ') as [string, string];
    const spec = rule.request?.(fixture) ?? {};
    const path = spec.path ?? template;
    let req = request(t.app.getHttpServer())[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](path);
    const token = tokens.get(caller);
    if (token !== undefined) req = req.set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(spec.headers ?? {})) req = req.set(name, value);
    if (spec.body) req = req.send(spec.body);
    const res = await req.redirects(0);
    const want = expected(rule.access, caller, rule.ok ?? 200, rule.denied);
    expect(res.status, `${route} as ${caller}: ${JSON.stringify(res.body)}`).toBe(want.status);
    if (want.message) expect(res.body.message).toBe(want.message);
    if (want.status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

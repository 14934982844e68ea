import SwaggerParser from '@apidevtools/swagger-parser';
import { freePort } from '@dezky/test-stack';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { unsigned } from '../support/identity';
import {
  dereferenced,
  operationOf,
  operationsOf,
  parameterSchema,
  requestSchema,
  undocumented,
  violations,
  type Document,
  type Operation,
  type OperationRef,
  type Schema,
} from '../support/openapi';
import { caller, startSession, type Caller, type Session } from '../support/session';

/**
 * The served /openapi.json tells the truth about the API: every status, Content-Type, header and
 * body an answer can have is documented, and the request schemas refuse what the server refuses.
 * (test/fuzz runs schemathesis over the same document; these are its cases a test can name.)
 */

const NOTHING = { slug: 'no-such-thing', key: 'no_such_flag', id: '0123456789abcdef01234567' };
const PUBLIC = ['GET /health', 'GET /health/ready', 'GET /health/live', 'GET /ofrep/v1/events'];

function concrete(path: string, names: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => names[name] ?? name);
}

/** The request an operation needs besides its path: its required query parameters, named `value`. */
function withRequiredQuery(ref: OperationRef, path: string, value: string): string {
  const required = ((ref.operation.parameters ?? []) as { in: string; name: string; required?: boolean }[]).filter((p) => p.in === 'query' && p.required);
  return required.length ? `${path}?${required.map((p) => `${p.name}=${value}`).join('&')}` : path;
}

const label = (ref: OperationRef) => `${ref.method.toUpperCase()} ${ref.path}`;

describe('OpenAPI document', () => {
  let s: Session;
  let served: Record<string, unknown>;
  let doc: Document;
  let carolId: string;
  let requests: { mine: string; franks: string };
  beforeAll(async () => {
    s = await startSession({ BODY_LIMIT: '1kb' });
    served = (await request(s.t.app.getHttpServer()).get('/openapi.json').expect(200)).body as Record<string, unknown>;
    doc = await dereferenced(served);
    await s.alice.post('/tenants', { slug: 'doc-tenant', name: 'Doc tenant' }).expect(201);
    await s.admin.post('/partners', { slug: 'doc-partner', name: 'Doc partner', domain: 'doc-partner.example', marginPct: 5 }).expect(201);
    await s.admin.post('/flags', { key: 'doc_flag', description: 'Doc flag' }).expect(201);
    carolId = (await s.carol.get('/me').expect(200)).body.profile.id as string;
    // A protected flag with a change request of the operator's and one of a second administrator's.
    const frank = caller(s.t, await s.id.sign('operator', { sub: 'user-frank', email: 'frank@dezky.test', name: 'Frank' }));
    await s.admin.patch(`/users/${(await frank.get('/me').expect(200)).body.profile.id}`, { platformAdmin: true }).expect(200);
    await s.admin.post('/flags', { key: 'doc_guarded', description: 'Doc guarded' }).expect(201);
    const guarded = await s.admin.post('/flags/doc_guarded/protect').expect(200);
    const open = async (by: Caller, description: string) =>
      (await by.post('/flags/doc_guarded/change-requests', { description }).set('If-Match', guarded.headers.etag as string).expect(201)).body.id as string;
    requests = { mine: await open(s.admin, 'Mine'), franks: await open(frank, "Frank's") };
  });
  afterAll(() => s.close());

  it('is served at /openapi.json and is valid OpenAPI 3', async () => {
    expect(served.openapi).toMatch(/^3\./);
    // validate() throws on any schema violation or broken $ref.
    const api = await SwaggerParser.validate(structuredClone(served) as never);
    expect(api.info.title).toBe('Dezky platform API');
    expect(Object.keys(api.paths ?? {})).toContain('/health');
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await request(s.t.app.getHttpServer()).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });

  describe('answers', () => {
    it('to every caller on every operation, with names that name nothing, are documented', async () => {
      const callers: Record<string, Caller> = { anonymous: s.anonymous, customer: s.alice, 'operator, not admin': s.carol, operator: s.admin };
      const problems: string[] = [];
      for (const ref of operationsOf(doc)) {
        const path = withRequiredQuery(ref, concrete(ref.path, NOTHING), 'no-such-thing');
        for (const [who, c] of Object.entries(callers)) {
          const res = await c[ref.method as 'get'](path);
          const wrong = undocumented(ref.operation, res);
          if (wrong) problems.push(`${who} ${label(ref)} -> ${res.status}: ${wrong}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('to a body that is not JSON, too large or of another type are documented wherever a body is read', async () => {
      const problems: string[] = [];
      const bodies: [string, string, number][] = [
        ['application/json', '{"broken": ', 400],
        ['text/plain', 'hello', 415],
        ['application/json', JSON.stringify({ blob: 'x'.repeat(2048) }), 413],
      ];
      for (const ref of operationsOf(doc).filter((r) => ['post', 'put', 'patch', 'delete'].includes(r.method))) {
        for (const [type, body, status] of bodies) {
          const res = await s.admin[ref.method as 'post'](concrete(ref.path, NOTHING)).set('Content-Type', type).send(body);
          const wrong = res.status === status ? undocumented(ref.operation, res) : `answered ${res.status}, not ${status}`;
          if (wrong) problems.push(`${label(ref)} with ${type} (${status}): ${wrong}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('while the identity provider cannot be reached (503) are documented on every bearer operation', async () => {
      // A trusted issuer nothing listens on: verifying its tokens needs its keys, which cannot be had.
      const issuer = `http://127.0.0.1:${await freePort()}/application/o/nowhere/`;
      const t: TestApp = await createTestApp({ AUTHENTIK_ISSUERS: issuer });
      try {
        const token = unsigned({ iss: issuer, sub: 'someone', aud: 'dezky-operator', exp: Math.floor(Date.now() / 1000) + 600 });
        const c = caller(t, token);
        const problems: string[] = [];
        for (const ref of operationsOf(doc).filter((r) => !PUBLIC.includes(label(r)))) {
          const res = await c[ref.method as 'get'](withRequiredQuery(ref, concrete(ref.path, NOTHING), 'no-such-thing'));
          const wrong = res.status === 503 ? undocumented(ref.operation, res) : `answered ${res.status}`;
          if (wrong) problems.push(`${label(ref)}: ${wrong}`);
        }
        expect(problems).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('with a flag, whose history holds values of any JSON type, are documented', async () => {
      await s.admin.patch('/flags/doc_flag', { description: 'Doc flag, described' }).expect(200);
      await s.admin.patch('/flags/doc_flag', { state: 'rollout', pct: 30, scope: { plans: ['business'] } }).expect(200);
      const one = await s.admin.get('/flags/doc_flag').expect(200);
      const changes = (one.body.history as { changes: Record<string, { from: unknown; to: unknown }> }[]).flatMap((h) => Object.values(h.changes));
      // Text, numbers, states and lists: not only objects.
      expect(changes.map((c) => typeof c.to)).toEqual(expect.arrayContaining(['string', 'number']));
      expect(undocumented(operationOf(doc, 'GET', '/flags/{key}'), one)).toBe('');
      expect(undocumented(operationOf(doc, 'GET', '/flags'), await s.admin.get('/flags').expect(200))).toBe('');
    });

    it('with null where the API sends it (no partner, an operator who is no member, no subscription) are documented', async () => {
      const own = await s.alice.get('/tenants/doc-tenant').expect(200);
      expect(own.body.partner).toBeNull();
      expect(undocumented(operationOf(doc, 'GET', '/tenants/{slug}'), own)).toBe('');
      const operators = await s.admin.get('/tenants/doc-tenant').expect(200);
      expect(operators.body.role).toBeNull();
      expect(undocumented(operationOf(doc, 'GET', '/tenants/{slug}'), operators)).toBe('');
      const me = await s.carol.get('/me').expect(200);
      expect(me.body.subscription).toBeNull();
      expect(undocumented(operationOf(doc, 'GET', '/me'), me)).toBe('');
    });

    it('to a malformed If-Match (400) and a stale one (412) are documented, and its pattern is the one the server reads', async () => {
      const patch = operationOf(doc, 'PATCH', '/flags/{key}');
      const malformed = await s.admin.patch('/flags/doc_flag', { pct: 5 }).set('If-Match', 'version three');
      expect(malformed.status).toBe(400);
      expect(undocumented(patch, malformed)).toBe('');
      const stale = await s.admin.patch('/flags/doc_flag', { pct: 5 }).set('If-Match', '"9999"');
      expect(stale.status).toBe(412);
      expect(undocumented(patch, stale)).toBe('');
      for (const op of [patch, operationOf(doc, 'DELETE', '/flags/{key}')]) {
        const header = parameterSchema(op, 'header', 'If-Match');
        for (const ok of ['"3-abc"', 'W/"3"', '*', '', '"3-a", "3-b"']) expect(violations(header, ok), ok).toBe('');
        for (const bad of ['version three', '"3', '3', 'W/3', ',,']) expect(violations(header, bad), bad).not.toBe('');
      }
    });
  });

  describe('says who may call', () => {
    it('requires the bearer token on every operation but the public ones', () => {
      for (const ref of operationsOf(doc)) {
        expect(ref.operation.security, label(ref)).toEqual(PUBLIC.includes(label(ref)) ? [] : [{ bearer: [] }]);
      }
    });

    it('documents 401 (WWW-Authenticate) and 429 (Retry-After) on every bearer operation, with the error body', () => {
      for (const ref of operationsOf(doc).filter((r) => !PUBLIC.includes(label(r)))) {
        for (const [status, header] of [
          ['401', 'WWW-Authenticate'],
          ['429', 'Retry-After'],
        ] as const) {
          const response = ref.operation.responses[status] as { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: Schema }> } | undefined;
          expect(response?.headers?.[header]?.required, `${label(ref)} ${status}`).toBe(true);
          expect(response?.content?.['application/json']?.schema.required, `${label(ref)} ${status}`).toEqual(['statusCode', 'error', 'message']);
        }
      }
    });
  });

  describe('states what the server refuses', () => {
    type Who = 'admin' | 'alice';
    interface Shape {
      op: [string, string];
      path: string;
      who: Who;
      accepted: object[];
      refused: object[];
    }
    const shapes = (): Shape[] => [
      {
        op: ['POST', '/tenants'],
        path: '/tenants',
        who: 'alice',
        accepted: [{ slug: 'shape-tenant', name: 'Shape', plan: 'business', domains: ['shape.example', 'xn--bcher-kva.example'] }],
        refused: [
          { slug: 'ab', name: 'Too short a slug' },
          { slug: 'Bad_Slug', name: 'Pattern' },
          { slug: 'fine-slug', name: '' },
          { slug: 'fine-slug', name: 'Unknown field', colour: 'red' },
          { slug: 'fine-slug', name: 'Plan', plan: 'gold' },
          { slug: 'fine-slug', name: 'No TLD', domains: ['localhost'] },
          { slug: 'fine-slug', name: 'Underscore', domains: ['my_host.example'] },
          { name: 'No slug' },
        ],
      },
      {
        op: ['POST', '/partners'],
        path: '/partners',
        who: 'admin',
        accepted: [{ slug: 'shape-partner', name: 'Shape', domain: 'shape-partner.example', marginPct: 20, contactInfo: { email: 'a@shape.example' } }],
        refused: [
          { slug: 'shape-two', name: 'Fraction', domain: 'two.example', marginPct: 20.5 },
          { slug: 'shape-two', name: 'Too much', domain: 'two.example', marginPct: 101 },
          { slug: 'shape-two', name: 'Host', domain: 'two', marginPct: 20 },
          { slug: 'shape-two', name: 'Email', domain: 'two.example', marginPct: 20, contactInfo: { email: 'nope' } },
          { slug: 'shape-two', name: 'Card', domain: 'two.example', marginPct: 20, billingInfo: { vatId: 'de123' } },
        ],
      },
      {
        op: ['PATCH', '/partners/{slug}'],
        path: '/partners/doc-partner',
        who: 'admin',
        accepted: [{ marginPct: 15 }],
        refused: [{}, { marginPct: '15' }, { name: null }, { contactInfo: { phone: 'call me' } }],
      },
      {
        op: ['PATCH', '/tenants/{slug}'],
        path: '/tenants/doc-tenant',
        who: 'admin',
        accepted: [{ name: 'Doc Co' }],
        refused: [{}, { partnerId: 'xyz' }, { plan: 'gold' }, { domains: 'doc.example' }],
      },
      {
        op: ['PATCH', '/tenants/{slug}/subscription'],
        path: '/tenants/doc-tenant/subscription',
        who: 'admin',
        accepted: [{ seats: 3 }, {}],
        refused: [{ seats: 0 }, { seats: 2.5 }, { status: 'paused' }, { seats: 3, plan: 'business' }],
      },
      {
        op: ['POST', '/flags'],
        path: '/flags',
        who: 'admin',
        accepted: [{ key: 'shape_flag', description: 'Shape' }],
        refused: [{ key: 'Bad-Key', description: 'Shape' }, { key: 'ok_key', description: '' }, { key: 'ok_key' }],
      },
      {
        op: ['PATCH', '/flags/{key}'],
        path: '/flags/doc_flag',
        who: 'admin',
        accepted: [{ pct: 10 }, { scope: { plans: ['starter'] } }],
        refused: [{ pct: 10.5 }, { pct: 101 }, { state: 'maybe' }, { scope: { plans: 'starter' } }, { scope: { regions: [] } }, { owner: 'me' }],
      },
      {
        op: ['POST', '/flags/{key}/impact'],
        path: '/flags/doc_flag/impact',
        who: 'admin',
        accepted: [{}, { state: 'rollout', pct: 5 }],
        refused: [{ pct: -1 }, { state: 'rollout', pct: '5' }],
      },
      {
        op: ['PUT', '/flags/{key}/schedule'],
        path: '/flags/doc_flag/schedule',
        who: 'admin',
        accepted: [{ steps: [{ at: new Date(Date.now() + 86_400_000).toISOString(), state: 'rollout', pct: 5 }] }],
        refused: [{}, { steps: [] }, { steps: [{ at: 'soon', pct: 5 }] }, { steps: [{ at: 'now', pct: 101 }] }, { steps: [{ at: 'now', state: 'maybe' }] }, { steps: ['now'] }],
      },
      {
        op: ['PATCH', '/users/{id}'],
        path: '/users/:carol',
        who: 'admin',
        accepted: [{ platformAdmin: false }],
        refused: [{}, { platformAdmin: 'no' }, { platformAdmin: false, name: 'Carol' }],
      },
      {
        op: ['POST', '/flags/evaluate'],
        path: '/flags/evaluate',
        who: 'alice',
        accepted: [{ tenantSlug: 'doc-tenant' }],
        refused: [{}, { tenantSlug: '' }, { tenantSlug: 5 }, { tenantSlug: 'doc-tenant', extra: true }],
      },
      {
        op: ['POST', '/ofrep/v1/evaluate/flags'],
        path: '/ofrep/v1/evaluate/flags',
        who: 'alice',
        accepted: [{ context: { targetingKey: 'doc-tenant', country: 'DE' } }],
        refused: [{}, { context: {} }, { context: [] }, { context: { targetingKey: 5 } }, { context: { targetingKey: '' } }, { context: { targetingKey: 'Not A Slug' } }],
      },
    ];

    it.each(shapes().map((shape) => [`${shape.op[0]} ${shape.op[1]}`, shape] as const))('%s: the body schema refuses exactly the bodies the server refuses', async (_name, shape) => {
      const operation: Operation = operationOf(doc, ...shape.op);
      const schema = requestSchema(operation)!;
      const path = shape.path.replace(':carol', carolId);
      for (const body of shape.accepted) {
        expect(violations(schema, body), `the document refuses ${JSON.stringify(body)}`).toBe('');
        const res = await s[shape.who][shape.op[0].toLowerCase() as 'post' | 'put'](path, body);
        expect(res.status, `${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBeLessThan(300);
      }
      for (const body of shape.refused) {
        expect(violations(schema, body), `the document accepts ${JSON.stringify(body)}`).not.toBe('');
        const res = await s[shape.who][shape.op[0].toLowerCase() as 'post' | 'put'](path, body);
        expect(res.status, `${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBe(400);
        expect(undocumented(operation, res)).toBe('');
      }
    });

    it.each([
      ['/tenants', 'limit', ['1', '100'], ['0', '101', '1.5', 'ten']],
      ['/tenants', 'partner', ['doc-partner'], ['', 'Doc Partner']],
      ['/audit', 'actorId', ['0123456789abcdef01234567'], ['xyz']],
      ['/audit', 'action', ['tenant.update'], ['Tenant-Update']],
      ['/users', 'platformAdmin', ['true', 'false'], ['maybe']],
    ] as const)('GET %s?%s=: the parameter schema refuses exactly the values the server refuses', async (path, name, accepted, refused) => {
      const operation = operationOf(doc, 'GET', path);
      // A query value arrives as text: the schema is applied to it as Ajv coerces it.
      const schema = { type: 'object', properties: { [name]: parameterSchema(operation, 'query', name) } } as Schema;
      for (const value of accepted) {
        expect(violations(schema, { [name]: value }, { coerce: true }), value).toBe('');
        expect((await s.admin.get(`${path}?${name}=${encodeURIComponent(value)}`)).status, value).toBe(200);
      }
      for (const value of refused) {
        expect(violations(schema, { [name]: value }, { coerce: true }), value).not.toBe('');
        const res = await s.admin.get(`${path}?${name}=${encodeURIComponent(value)}`);
        expect(res.status, value).toBe(400);
        expect(undocumented(operation, res)).toBe('');
      }
    });

    it('requires a request body exactly where a missing one is refused', async () => {
      const paths: Record<string, string> = { slug: 'doc-tenant', key: 'doc_flag', id: carolId };
      const problems: string[] = [];
      for (const ref of operationsOf(doc).filter((r) => r.operation.requestBody)) {
        // Change requests: the operator edits its own, and approves (an optional body) another administrator's.
        const id = ref.path.startsWith('/change-requests') ? (ref.path.endsWith('/approve') ? requests.franks : requests.mine) : carolId;
        const path = concrete(ref.path.startsWith('/partners') ? ref.path.replace('{slug}', 'doc-partner') : ref.path, { ...paths, id });
        const who = ref.path.startsWith('/ofrep') || ref.path === '/flags/evaluate' ? s.alice : s.admin;
        const res = await who[ref.method as 'post'](path);
        const required = (ref.operation.requestBody as { required?: boolean }).required === true;
        if (res.status >= 300 && res.status !== 400) problems.push(`${label(ref)}: answered ${res.status}, neither accepted nor refused`);
        else if (required !== (res.status === 400)) problems.push(`${label(ref)}: documented ${required ? 'required' : 'optional'}, answered ${res.status}`);
      }
      expect(problems).toEqual([]);
    });
  });
});

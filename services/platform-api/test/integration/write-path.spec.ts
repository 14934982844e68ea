import type { Connection } from 'mongoose';
import type { TenantDomain } from '@dezky/contracts';
import { startDnsServer, type DnsServer } from '@dezky/test-stack';
import { listRoutes } from '../support/routes';
import { caller, startSession, type Caller, type Session } from '../support/session';

interface ChangeDoc {
  seq: number;
  kind: string;
  ref: string;
  at: Date;
}

interface AuditDoc {
  action: string;
  resource: { type: string; id: string };
  at: Date;
}

interface Step {
  /** The route as the router lists it. */
  route: string;
  /** The request and the status it succeeds with. */
  send: () => PromiseLike<{ status: number; body: unknown }>;
  ok: number;
  /** The audit actions the step records, in order. */
  audited: string[];
  /** The change entries it records (kind and ref), in order. */
  changes: () => { kind: string; ref: string }[];
}

/** Routes that take a body over POST and change nothing: evaluations and previews. */
const READS = new Set([
  'POST /flags/evaluate',
  'POST /flags/:key/impact',
  'POST /flags/:key/schedule/preview',
  'POST /tenants/:slug/flags/impact',
  'POST /ofrep/v1/evaluate/flags',
  'POST /ofrep/v1/evaluate/flags/:key',
]);

/**
 * The change kind each audited resource is followed under; suspension and resumption change no
 * evaluation attribute, and neither does keeping a flag from being reported stale.
 */
const FOLLOWED: Record<string, string | undefined> = { flag: 'flag', tenant: 'tenant', user: 'user' };
const UNFOLLOWED_ACTIONS = new Set([
  'tenant.suspend',
  'tenant.resume',
  'flag.keep',
  'flag.unkeep',
  // A flag's plan: evaluation never reads it (its steps, once applied, are flag changes of their own).
  'flag.schedule_set',
  'flag.schedule_pause',
  'flag.schedule_resume',
  'flag.schedule_delete',
]);
/** Change requests are audited on their flag, which they leave as it is until an approval applies one. */
for (const verb of ['open', 'edit', 'rebase', 'reject', 'withdraw']) UNFOLLOWED_ACTIONS.add(`flag.change_request_${verb}`);

/**
 * Every write of the API, one request per writing route (and per action a route can audit), each
 * checked for what it left in the change log and the audit log: exactly the change entries the
 * read models need, recorded no later than the write's audit entry. A writing route added
 * without a step here fails the first test; a write that skips the change log, or the audit log,
 * fails its step.
 */
describe('the write path', () => {
  let s: Session;
  let dns: DnsServer;
  let aliceId: string;
  let carolId: string;
  let tenantId = '';
  let partnerId = '';
  let flagEtag = '';
  let webhookId = '';
  let deliveryId = '';
  let requestId = '';
  let dave: Caller;
  const steps: Step[] = [];

  const audit = (db: Connection) => db.collection<AuditDoc>('audit');
  const changeLog = (db: Connection) => db.collection<ChangeDoc>('changes');
  const step = (route: string, ok: number, send: Step['send'], audited: string[], changes: Step['changes']) => steps.push({ route, ok, send, audited, changes });
  const tenant = (): { kind: string; ref: string } => ({ kind: 'tenant', ref: tenantId });
  const flag = (key: string) => ({ kind: 'flag', ref: key });
  const idOf = async (c: Caller) => (await c.get('/me').expect(200)).body.profile.id as string;

  beforeAll(async () => {
    dns = await startDnsServer();
    s = await startSession({ DNS_RESOLVER: dns.address, WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_POLL_MS: '0' });
    aliceId = await idOf(s.alice);
    carolId = await idOf(s.carol);

    step(
      'POST /partners',
      201,
      () => s.admin.post('/partners', { slug: 'writer-partner', name: 'Writer Partner', domain: 'writer-partner.example', marginPct: 10 }),
      ['partner.create'],
      () => [],
    );
    step('POST /tenants', 201, () => s.alice.post('/tenants', { slug: 'writer-co', name: 'Writer Co' }), ['subscription.create', 'tenant.create'], () => [
      { kind: 'membership', ref: `${aliceId}:${tenantId}` },
      tenant(),
    ]);
    step('PATCH /tenants/:slug', 200, () => s.admin.patch('/tenants/writer-co', { plan: 'business' }), ['subscription.update', 'tenant.update'], () => [tenant()]);
    step('PATCH /tenants/:slug', 200, () => s.admin.patch('/tenants/writer-co', { partnerId }), ['tenant.update'], () => [tenant()]);
    step('POST /tenants/:slug/suspend', 200, () => s.admin.post('/tenants/writer-co/suspend'), ['tenant.suspend'], () => []);
    step('POST /tenants/:slug/resume', 200, () => s.admin.post('/tenants/writer-co/resume'), ['tenant.resume'], () => []);
    step('PATCH /tenants/:slug/subscription', 200, () => s.admin.patch('/tenants/writer-co/subscription', { seats: 4 }), ['subscription.update'], () => []);
    step('POST /tenants/:slug/domains', 201, () => s.alice.post('/tenants/writer-co/domains', { domain: 'dns.writer.example' }), ['tenant.domain_add'], () => [tenant()]);
    step('POST /tenants/:slug/domains', 201, () => s.alice.post('/tenants/writer-co/domains', { domain: 'hand.writer.example' }), ['tenant.domain_add'], () => [tenant()]);
    step(
      'POST /tenants/:slug/domains/:domain/verify',
      200,
      async () => {
        const domain = ((await s.alice.get('/tenants/writer-co')).body.domains as TenantDomain[]).find((d) => d.name === 'dns.writer.example')!;
        dns.setTxt(domain.name, [domain.verification!.value]);
        return s.alice.post('/tenants/writer-co/domains/dns.writer.example/verify');
      },
      ['tenant.domain_verify'],
      () => [tenant()],
    );
    step('POST /tenants/:slug/domains/:domain/mark-verified', 200, () => s.admin.post('/tenants/writer-co/domains/hand.writer.example/mark-verified'), ['tenant.domain_mark_verified'], () => [tenant()]);
    step('DELETE /tenants/:slug/domains/:domain', 204, () => s.alice.delete('/tenants/writer-co/domains/hand.writer.example'), ['tenant.domain_remove'], () => [tenant()]);
    // Provisioning state only: integrations are re-run, nothing evaluation reads or anyone audits.
    step('POST /tenants/:slug/reconcile', 200, () => s.alice.post('/tenants/writer-co/reconcile'), [], () => []);
    step('PATCH /partners/:slug', 200, () => s.admin.patch('/partners/writer-partner', { marginPct: 25 }), ['partner.update'], () => []);
    step('DELETE /partners/:slug', 200, () => s.admin.delete('/partners/writer-partner'), ['partner.terminate'], () => []);
    // Webhooks are no evaluation input: audited, never in the change log. Their endpoint is a closed loopback port.
    step(
      'POST /webhooks',
      201,
      async () => {
        const res = await s.admin.post('/webhooks', { url: 'http://127.0.0.1:9/writer', events: ['flag.*'] });
        webhookId = res.body.id;
        return res;
      },
      ['webhook.create'],
      () => [],
    );
    step('PATCH /webhooks/:id', 200, () => s.admin.patch(`/webhooks/${webhookId}`, { description: 'Writer endpoint' }), ['webhook.update'], () => []);
    step('POST /webhooks/:id/rotate-secret', 200, () => s.admin.post(`/webhooks/${webhookId}/rotate-secret`), ['webhook.rotate_secret'], () => []);
    // Deliveries are attempts, not changes of anything an operator edits: nothing audited.
    step(
      'POST /webhooks/:id/test',
      200,
      async () => {
        const res = await s.admin.post(`/webhooks/${webhookId}/test`);
        deliveryId = res.body.id;
        return res;
      },
      [],
      () => [],
    );
    step('POST /webhooks/:id/deliveries/:deliveryId/resend', 200, () => s.admin.post(`/webhooks/${webhookId}/deliveries/${deliveryId}/resend`), [], () => []);
    step('POST /flags', 201, () => s.admin.post('/flags', { key: 'writer_flag', description: 'Written' }), ['flag.create'], () => [flag('writer_flag')]);
    step(
      'PATCH /flags/:key',
      200,
      async () => {
        const res = await s.admin.patch('/flags/writer_flag', { state: 'on' });
        flagEtag = res.headers.etag as string;
        return res;
      },
      ['flag.update'],
      () => [flag('writer_flag')],
    );
    const plan = { steps: [{ at: new Date(Date.now() + 30 * 86_400_000).toISOString(), state: 'rollout', pct: 25 }] };
    step('PUT /flags/:key/schedule', 200, () => s.admin.put('/flags/writer_flag/schedule', plan), ['flag.schedule_set'], () => []);
    step('POST /flags/:key/schedule/pause', 200, () => s.admin.post('/flags/writer_flag/schedule/pause'), ['flag.schedule_pause'], () => []);
    step('POST /flags/:key/schedule/resume', 200, () => s.admin.post('/flags/writer_flag/schedule/resume'), ['flag.schedule_resume'], () => []);
    step('DELETE /flags/:key/schedule', 200, () => s.admin.delete('/flags/writer_flag/schedule'), ['flag.schedule_delete'], () => []);
    // A plan the kill switch cancels: one write, the kill, audited with the cancellation it brings about.
    step('PUT /flags/:key/schedule', 200, () => s.admin.put('/flags/writer_flag/schedule', plan), ['flag.schedule_set'], () => []);
    step(
      'POST /flags/:key/kill',
      200,
      async () => {
        const res = await s.admin.post('/flags/writer_flag/kill');
        flagEtag = res.headers.etag as string;
        return res;
      },
      ['flag.kill', 'flag.schedule_delete'],
      () => [flag('writer_flag')],
    );
    // Back to version 2 (on), as the kill switch's Undo would.
    step('POST /flags/:key/revert', 200, () => s.admin.post('/flags/writer_flag/revert', { version: 2 }).set('If-Match', flagEtag), ['flag.revert'], () => [flag('writer_flag')]);
    // A keep is nothing evaluation reads: audited, no change-log entry.
    step('PUT /flags/:key/keep', 200, () => s.admin.put('/flags/writer_flag/keep'), ['flag.keep'], () => []);
    step('DELETE /flags/:key/keep', 200, () => s.admin.delete('/flags/writer_flag/keep'), ['flag.unkeep'], () => []);
    step('DELETE /flags/:key', 204, () => s.admin.delete('/flags/writer_flag'), ['flag.delete'], () => [flag('writer_flag')]);
    step('DELETE /webhooks/:id', 204, () => s.admin.delete(`/webhooks/${webhookId}`), ['webhook.delete'], () => []);
    // A protected flag: its change requests, reviewed by a second administrator, and the kill switch that bypasses them.
    dave = caller(s.t, await s.id.sign('operator', { sub: 'user-dave', email: 'dave@dezky.test', name: 'Dave' }));
    await s.admin.patch(`/users/${await idOf(dave)}`, { platformAdmin: true }).expect(200);
    await s.admin.post('/flags', { key: 'writer_guarded', description: 'Guarded' }).expect(201);
    const openRequest = async (draft: object) => {
      const etag = (await s.admin.get('/flags/writer_guarded')).headers.etag as string;
      const res = await s.admin.post('/flags/writer_guarded/change-requests', draft).set('If-Match', etag);
      requestId = (res.body as { id: string }).id;
      return res;
    };
    step('POST /flags/:key/protect', 200, () => s.admin.post('/flags/writer_guarded/protect'), ['flag.protect'], () => [flag('writer_guarded')]);
    step('POST /flags/:key/change-requests', 201, () => openRequest({ state: 'on' }), ['flag.change_request_open'], () => []);
    step('PATCH /change-requests/:id', 200, () => s.admin.patch(`/change-requests/${requestId}`, { state: 'rollout', pct: 10 }), ['flag.change_request_edit'], () => []);
    step('POST /change-requests/:id/rebase', 200, () => s.admin.post(`/change-requests/${requestId}/rebase`), ['flag.change_request_rebase'], () => []);
    step('POST /change-requests/:id/approve', 200, () => dave.post(`/change-requests/${requestId}/approve`, { comment: 'Fine' }), ['flag.change_request_approve'], () => [flag('writer_guarded')]);
    step('POST /flags/:key/change-requests', 201, () => openRequest({ pct: 50 }), ['flag.change_request_open'], () => []);
    step('POST /change-requests/:id/reject', 200, () => dave.post(`/change-requests/${requestId}/reject`, { comment: 'Too far' }), ['flag.change_request_reject'], () => []);
    step('POST /flags/:key/change-requests', 201, () => openRequest({ pct: 20 }), ['flag.change_request_open'], () => []);
    step('POST /change-requests/:id/withdraw', 200, () => s.admin.post(`/change-requests/${requestId}/withdraw`), ['flag.change_request_withdraw'], () => []);
    step('POST /flags/:key/kill', 200, () => s.admin.post('/flags/writer_guarded/kill'), ['flag.kill'], () => [flag('writer_guarded')]);
    step('PATCH /users/:id', 200, () => s.admin.patch(`/users/${carolId}`, { platformAdmin: true }), ['user.grant_admin'], () => [{ kind: 'user', ref: carolId }]);
    step('PATCH /users/:id', 200, () => s.admin.patch(`/users/${carolId}`, { platformAdmin: false }), ['user.revoke_admin'], () => [{ kind: 'user', ref: carolId }]);
  });
  afterAll(async () => {
    await s?.close();
    await dns?.stop();
  });

  it('covers every route that writes', () => {
    const writing = listRoutes(s.t.app)
      .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !READS.has(r));
    const scripted = [...new Set(steps.map((st) => st.route))];
    expect(scripted.sort()).toEqual(writing.sort());
  });

  it('each write records exactly its change entries, no later than its audit entries', async () => {
    for (const st of steps) {
      const auditsBefore = await audit(s.db).countDocuments();
      const lastSeq = (await changeLog(s.db).find().sort({ seq: -1 }).limit(1).toArray())[0]?.seq ?? 0;
      const res = await st.send();
      const label = `${st.route} -> ${st.audited.join(', ') || 'nothing audited'}`;
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(st.ok);
      if (st.route === 'POST /tenants') tenantId = (res.body as { id: string }).id;
      if (st.route === 'POST /partners') partnerId = (res.body as { id: string }).id;

      const audits = await audit(s.db).find().sort({ at: 1, _id: 1 }).skip(auditsBefore).toArray();
      const changes = await changeLog(s.db).find({ seq: { $gt: lastSeq } }).sort({ seq: 1 }).toArray();
      expect(audits.map((a) => a.action), label).toEqual(st.audited);
      expect(changes.map((c) => ({ kind: c.kind, ref: c.ref })), label).toEqual(st.changes());

      // The rule itself: a flag, tenant or user that was audited was first named in the change log.
      for (const a of audits) {
        const kind = FOLLOWED[a.resource.type];
        if (!kind || UNFOLLOWED_ACTIONS.has(a.action)) continue;
        const entry = changes.find((c) => c.kind === kind && c.ref === a.resource.id);
        expect(entry, `${label}: ${a.action} of ${a.resource.type} ${a.resource.id} has no change entry`).toBeDefined();
        expect(entry!.at.getTime(), `${label}: the change entry follows the audit entry`).toBeLessThanOrEqual(a.at.getTime());
      }
    }
  });

  it('evaluation in this process reflects a write by the time it answers', async () => {
    await s.admin.post('/flags', { key: 'writer_visible', description: 'Visible at once' }).expect(201);
    await s.admin.patch('/flags/writer_visible', { state: 'on' }).expect(200);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'writer-co' }).expect(200)).body).toMatchObject({ writer_visible: true });
    await s.admin.patch('/flags/writer_visible', { state: 'off' }).expect(200);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'writer-co' }).expect(200)).body).toMatchObject({ writer_visible: false });
  });
});

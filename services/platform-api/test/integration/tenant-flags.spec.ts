import { startSession, type Session } from '../support/session';

/** A tenant's flags in one call, and what a plan or partner change would flip for it. */
describe("a tenant's flags", () => {
  let s: Session;
  let partnerId: string;

  beforeAll(async () => {
    s = await startSession();
    await s.alice.post('/tenants', { slug: 'flip-co', name: 'Flip Co', plan: 'business' }).expect(201);
    partnerId = (await s.admin.post('/partners', { slug: 'flip-partner', name: 'Flip Partner', domain: 'flip-partner.eu', marginPct: 10 }).expect(201)).body.id;
    await s.admin.patch('/flags/jmap_native_v2', { state: 'targeted', scope: { plans: ['business'] } }).expect(200);
    await s.admin.patch('/flags/partner_billing_statements', { state: 'targeted', scope: { partnerSlugs: ['flip-partner'] } }).expect(200);
    await s.admin.patch('/flags/shared_mailboxes', { state: 'on' }).expect(200);
    await s.admin.patch('/flags/sso_enforcement', { state: 'rollout', pct: 50 }).expect(200);
  });
  afterAll(() => s?.close());

  it('answers every flag with the value evaluation gives and the reason explain gives', async () => {
    const res = await s.admin.get('/tenants/flip-co/flags').expect(200);
    const values = (await s.admin.post('/flags/evaluate', { tenantSlug: 'flip-co' }).expect(200)).body as Record<string, boolean>;
    const keys = res.body.items.map((f: { key: string }) => f.key);
    expect(keys).toEqual(Object.keys(values).sort());
    for (const item of res.body.items) {
      expect(item.value, item.key).toBe(values[item.key]);
      const { context: _context, ...explained } = (await s.admin.get(`/flags/${item.key}/explain?tenant=flip-co`).expect(200)).body;
      expect(item.explanation, item.key).toEqual(explained);
    }
    const jmap = res.body.items.find((f: { key: string }) => f.key === 'jmap_native_v2');
    expect(jmap).toMatchObject({ state: 'targeted', value: true, explanation: { reason: 'scope-match' } });
    expect((await s.admin.get('/tenants/no-such-co/flags')).status).toBe(404);
  });

  it('previews the flags a plan change flips, with the reasons, and changes nothing', async () => {
    const res = await s.admin.post('/tenants/flip-co/flags/impact', { plan: 'enterprise' }).expect(200);
    expect(res.body.tenantSlug).toBe('flip-co');
    expect(res.body.gained).toEqual([]);
    expect(res.body.lost).toEqual([
      {
        key: 'jmap_native_v2',
        description: expect.any(String),
        before: { value: true, reason: 'scope-match' },
        after: { value: false, reason: 'scope-mismatch', axis: 'plans' },
      },
    ]);
    expect(res.body.unchanged).toBe((await s.admin.get('/flags')).body.items.length - 1);
    expect((await s.admin.get('/tenants/flip-co')).body.plan).toBe('business');
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'flip-co' })).body.jmap_native_v2).toBe(true);
  });

  it('previews a partner change both ways, and what the change then does matches', async () => {
    const attach = await s.admin.post('/tenants/flip-co/flags/impact', { partnerId }).expect(200);
    expect(attach.body.gained.map((f: { key: string }) => f.key)).toEqual(['partner_billing_statements']);
    expect(attach.body.gained[0].after).toEqual({ value: true, reason: 'scope-match' });
    expect(attach.body.lost).toEqual([]);
    await s.admin.patch('/tenants/flip-co', { partnerId }).expect(200);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'flip-co' })).body.partner_billing_statements).toBe(true);

    const detach = await s.admin.post('/tenants/flip-co/flags/impact', { partnerId: null }).expect(200);
    expect(detach.body.lost.map((f: { key: string }) => f.key)).toEqual(['partner_billing_statements']);
    expect(detach.body.lost[0].after).toEqual({ value: false, reason: 'scope-mismatch', axis: 'partnerSlugs' });
  });

  it('refuses what names no change, an unknown plan or partner, with 400; an unknown tenant with 404', async () => {
    for (const body of [{}, { plan: 'gold' }, { partnerId: 'nope' }, { plan: 'starter', extra: 1 }]) {
      const res = await s.admin.post('/tenants/flip-co/flags/impact', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    const unknown = await s.admin.post('/tenants/flip-co/flags/impact', { partnerId: '0123456789abcdef01234567' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/names no partner/);
    expect((await s.admin.post('/tenants/no-such-co/flags/impact', { plan: 'starter' })).status).toBe(404);
  });

  it('is for operators only: a member gets 403', async () => {
    expect((await s.alice.get('/tenants/flip-co/flags')).status).toBe(403);
    expect((await s.alice.post('/tenants/flip-co/flags/impact', { plan: 'starter' })).status).toBe(403);
  });
});

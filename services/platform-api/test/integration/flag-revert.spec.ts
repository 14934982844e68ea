import { startSession, type Session } from '../support/session';

/** Revert from history: a new version with an earlier version's contents, under If-Match, audited. */
describe('reverting a flag to an earlier version', () => {
  let s: Session;
  const contents = (f: { description: string; state: string; pct: number; scope: unknown }) => ({ description: f.description, state: f.state, pct: f.pct, scope: f.scope });

  beforeAll(async () => {
    s = await startSession();
    await s.alice.post('/tenants', { slug: 'revert-co', name: 'Revert Co', plan: 'business' }).expect(201);
    await s.admin.post('/partners', { slug: 'revert-partner', name: 'Revert Partner', domain: 'revert-partner.eu', marginPct: 10 }).expect(201);
    await s.admin.post('/flags', { key: 'revert_probe', description: 'Probe' }).expect(201); // v1: off
    await s.admin.patch('/flags/revert_probe', { state: 'targeted', scope: { plans: ['business'], partnerSlugs: ['revert-partner'] } }).expect(200); // v2
    await s.admin.patch('/flags/revert_probe', { state: 'rollout', pct: 30, description: 'Probe, rolling out' }).expect(200); // v3
    await s.admin.patch('/flags/revert_probe', { pct: 80, scope: { plans: [] } }).expect(200); // v4
  });
  afterAll(() => s?.close());

  it('answers the contents of every kept version, and 404 for one it never had', async () => {
    const v1 = await s.admin.get('/flags/revert_probe/versions/1').expect(200);
    expect(v1.body).toEqual({ key: 'revert_probe', version: 1, description: 'Probe', state: 'off', pct: 0, scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] } });
    const v2 = await s.admin.get('/flags/revert_probe/versions/2').expect(200);
    expect(contents(v2.body)).toEqual({ description: 'Probe', state: 'targeted', pct: 0, scope: { plans: ['business'], tenantSlugs: [], partnerSlugs: ['revert-partner'], environments: [] } });
    const v3 = await s.admin.get('/flags/revert_probe/versions/3').expect(200);
    expect(contents(v3.body)).toEqual({ description: 'Probe, rolling out', state: 'rollout', pct: 30, scope: { plans: ['business'], tenantSlugs: [], partnerSlugs: ['revert-partner'], environments: [] } });
    const current = (await s.admin.get('/flags/revert_probe')).body;
    expect(contents((await s.admin.get('/flags/revert_probe/versions/4').expect(200)).body)).toEqual(contents(current));
    for (const version of ['5', '0', 'x', '1.5', '-1']) {
      const res = await s.admin.get(`/flags/revert_probe/versions/${version}`);
      expect(res.status, version).toBe(404);
      expect(res.body.message).toMatch(/version/);
    }
  });

  it('needs the If-Match of the flag as previewed: 428 without, 412 for a stale one; nothing changes', async () => {
    const before = (await s.admin.get('/flags/revert_probe')).body;
    const without = await s.admin.post('/flags/revert_probe/revert', { version: 2 });
    expect(without.status).toBe(428);
    expect(without.body.message).toMatch(/If-Match/);
    expect((await s.admin.post('/flags/revert_probe/revert', { version: 2 }).set('If-Match', '*')).status).toBe(428);
    const stale = await s.admin.post('/flags/revert_probe/revert', { version: 2 }).set('If-Match', '"3-stale"');
    expect(stale.status).toBe(412);
    for (const body of [{ version: 'two' }, { version: 0 }, {}, { version: 2, extra: true }]) {
      const bad = await s.admin.post('/flags/revert_probe/revert', body).set('If-Match', before.etag);
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    const after = (await s.admin.get('/flags/revert_probe')).body;
    expect(after.etag).toBe(before.etag);
    expect(after.version).toBe(before.version);
  });

  it('makes a new version with the old contents, in history and in the audit log, and serves it', async () => {
    const before = (await s.admin.get('/flags/revert_probe')).body;
    const preview = await s.admin.post('/flags/revert_probe/impact', contents((await s.admin.get('/flags/revert_probe/versions/2')).body)).expect(200);
    const reverted = await s.admin.post('/flags/revert_probe/revert', { version: 2 }).set('If-Match', before.etag);
    expect(reverted.status).toBe(200);
    expect(reverted.headers.etag).toBe(reverted.body.etag);
    expect(reverted.body.version).toBe(5);
    expect(contents(reverted.body)).toEqual(contents((await s.admin.get('/flags/revert_probe/versions/2')).body));
    expect(reverted.body.history[0].changes).toMatchObject({ state: { from: 'rollout', to: 'targeted' }, pct: { from: 80, to: 0 }, 'scope.plans': { from: [], to: ['business'] } });
    // The preview said what the revert then did.
    expect(preview.body.after).toBe(0);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'revert-co' })).body.revert_probe).toBe(false);

    const audit = await s.admin.get('/audit?resourceType=flag&resourceId=revert_probe&limit=10');
    const entry = audit.body.items[0];
    expect(entry.action).toBe('flag.revert');
    expect(entry.after).toMatchObject({ version: 5, state: 'targeted', revertedTo: 2 });
    expect(entry.before).toMatchObject({ version: 4, state: 'rollout' });

    // Reverting to what it already is changes nothing.
    const again = await s.admin.post('/flags/revert_probe/revert', { version: 2 }).set('If-Match', reverted.body.etag);
    expect(again.status).toBe(409);
    expect((await s.admin.get('/flags/revert_probe')).body.version).toBe(5);
  });

  it('refuses a version older than the kept history', async () => {
    await s.admin.post('/flags', { key: 'long_history', description: 'v0' }).expect(201);
    for (let i = 1; i <= 21; i++) await s.admin.patch('/flags/long_history', { description: `v${i}` }).expect(200);
    // Version 22 is current; the 20 kept entries reach back to version 3.
    expect((await s.admin.get('/flags/long_history/versions/3')).body.description).toBe('v2');
    const gone = await s.admin.get('/flags/long_history/versions/2');
    expect(gone.status).toBe(404);
    expect(gone.body.message).toMatch(/older than its kept history/);
  });

  it('is for operators only', async () => {
    expect((await s.alice.get('/flags/revert_probe/versions/1')).status).toBe(403);
    expect((await s.alice.post('/flags/revert_probe/revert', { version: 1 }).set('If-Match', '"x"')).status).toBe(403);
  });
});

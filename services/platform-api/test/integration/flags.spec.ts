import { evaluateFlag } from '@dezky/flags-core';
import { FlagsRepository } from '../../src/modules/flags/flags.repository';
import { createTestApp } from '../support/app';
import { startSession, type Session } from '../support/session';

const SEEDS = [
  'audit_log_export',
  'calendar_sharing_v2',
  'gdpr_export_v2',
  'jmap_native_v2',
  'mail_retention_policies',
  'new_billing_engine',
  'partner_billing_statements',
  'shared_mailboxes',
  'sso_enforcement',
  'webmail_dark_mode',
];

describe('feature flags', () => {
  let s: Session;
  const tenantIds = new Map<string, string>();

  beforeAll(async () => {
    s = await startSession();
    await s.admin.post('/partners', { slug: 'flag-partner', name: 'Flag Partner', domain: 'flag-partner.eu', marginPct: 10 }).expect(201);
    const partnerId = (await s.admin.get('/partners/flag-partner')).body.id;
    for (let i = 0; i < 40; i++) {
      const slug = `flag-tenant-${i}`;
      const res = await s.alice.post('/tenants', { slug, name: slug, plan: ['starter', 'business', 'enterprise'][i % 3] });
      tenantIds.set(slug, res.body.id);
      if (i % 4 === 0) await s.admin.patch(`/tenants/${slug}`, { partnerId }).expect(200);
    }
    await s.bob.post('/tenants', { slug: 'bobs-own', name: 'Bob' }).expect(201);
  }, 60_000);
  afterAll(() => s.close());

  it('seeds the ten flags off, and lists them with an ETag that answers 304 until something changes', async () => {
    const res = await s.admin.get('/flags');
    expect(res.status).toBe(200);
    expect(res.body.items.map((f: { key: string }) => f.key)).toEqual(SEEDS);
    expect(res.body.items.every((f: { state: string; pct: number; version: number }) => f.state === 'off' && f.pct === 0 && f.version === 1)).toBe(true);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect((await s.admin.get('/flags').set('If-None-Match', etag)).status).toBe(304);
    await s.admin.patch('/flags/audit_log_export', { description: 'Export of audit logs' }).expect(200);
    const after = await s.admin.get('/flags').set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });

  it('creates a flag off at 0%, refuses a duplicate (409) and a bad key (400)', async () => {
    const res = await s.admin.post('/flags', { key: 'new_search_index', description: 'New search index' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'new_search_index', state: 'off', pct: 0, version: 1, scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] } });
    expect(res.body.etag).toMatch(/^"[\x21\x23-\x7e]+"$/);
    expect(res.headers.etag).toBe(res.body.etag);
    expect((await s.admin.post('/flags', { key: 'new_search_index', description: 'again' })).status).toBe(409);
    for (const key of ['ab', 'Upper_case', '1starts_with_digit', 'has-hyphen', 'x'.repeat(65), '']) {
      const bad = await s.admin.post('/flags', { key, description: 'x' });
      expect(bad.status, key).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('key');
    }
    expect((await s.admin.get('/flags/new_search_index')).headers.etag).toBe(res.body.etag);
  });

  it('refuses unknown plans, environments, tenants and partners in a scope, naming them, and a bad pct', async () => {
    const res = await s.admin.patch('/flags/new_search_index', {
      scope: { plans: ['business', 'platinum'], environments: ['moon'], tenantSlugs: ['flag-tenant-1', 'ghost-co'], partnerSlugs: ['nobody-inc'] },
    });
    expect(res.status).toBe(400);
    for (const name of ['platinum', 'moon', 'ghost-co', 'nobody-inc']) expect(res.body.message).toContain(name);
    expect(res.body.message).not.toContain('flag-tenant-1,');
    for (const pct of [101, -1, 12.5, '50', null]) {
      const bad = await s.admin.patch('/flags/new_search_index', { state: 'rollout', pct });
      expect(bad.status, String(pct)).toBe(400);
    }
    expect((await s.admin.patch('/flags/new_search_index', { state: 'sometimes' })).status).toBe(400);
    // A scope must be an object of axes: a list (or a string) is refused, not taken as "no change".
    for (const scope of [[], ['plans'], 'business', 7]) {
      const bad = await s.admin.patch('/flags/new_search_index', { scope });
      expect(bad.status, JSON.stringify(scope)).toBe(400);
      expect(bad.body.message).toContain('scope must be an object of axes: plans, tenantSlugs, partnerSlugs, environments');
    }
    expect((await s.admin.get('/flags/new_search_index')).body).toMatchObject({ version: 1, state: 'off', pct: 0 });
  });

  it('a given scope axis replaces that axis and an omitted axis is kept; history records from -> to', async () => {
    await s.admin.patch('/flags/new_search_index', { state: 'targeted', scope: { plans: ['business'], environments: ['test'] } }).expect(200);
    const res = await s.admin.patch('/flags/new_search_index', { scope: { plans: ['enterprise'] } });
    expect(res.body.scope).toEqual({ plans: ['enterprise'], tenantSlugs: [], partnerSlugs: [], environments: ['test'] });
    expect(res.body.version).toBe(3);
    expect(res.body.history[0]).toMatchObject({ actor: 'admin@dezky.test', changes: { 'scope.plans': { from: ['business'], to: ['enterprise'] } } });
    expect(res.body.history[1].changes).toMatchObject({ state: { from: 'off', to: 'targeted' }, 'scope.environments': { from: [], to: ['test'] } });
    // No change, no new version.
    const same = await s.admin.patch('/flags/new_search_index', { scope: { plans: ['enterprise'] } });
    expect(same.body.version).toBe(3);
  });

  it('keeps exactly the 20 newest history entries, newest first, and every change in the audit log', async () => {
    await s.admin.post('/flags', { key: 'history_probe', description: 'v0' }).expect(201);
    for (let i = 1; i <= 25; i++) await s.admin.patch('/flags/history_probe', { description: `v${i}` }).expect(200);
    const flag = (await s.admin.get('/flags/history_probe')).body;
    expect(flag.version).toBe(26);
    expect(flag.history).toHaveLength(20);
    expect(flag.history.map((h: { changes: { description: { to: string } } }) => h.changes.description.to)).toEqual(
      Array.from({ length: 20 }, (_, i) => `v${25 - i}`),
    );
    const audit = await s.admin.get('/audit?resourceType=flag&resourceId=history_probe&limit=100');
    expect(audit.body.total).toBe(26);
    expect(audit.body.items.at(-1).action).toBe('flag.create');
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const read = (await s.admin.get('/flags/history_probe')).body;
    await s.admin.patch('/flags/history_probe', { description: 'changed by a colleague' }).expect(200);
    const before = (await s.admin.get('/flags/history_probe')).body;
    const res = await s.admin.patch('/flags/history_probe', { description: 'late edit' }).set('If-Match', read.etag);
    expect(res.status).toBe(412);
    expect(res.body.message).toContain('changed by someone else');
    expect(res.body.message).toContain(`version ${before.version}`);
    // Well-formed but not the flag's ETag: the bare version, the current ETag made weak (If-Match compares strongly).
    for (const tag of [`"${before.version}"`, `W/${before.etag}`]) {
      expect((await s.admin.patch('/flags/history_probe', { description: 'late edit' }).set('If-Match', tag)).status, tag).toBe(412);
    }
    expect((await s.admin.get('/flags/history_probe')).body).toEqual(before);

    const ok = await s.admin.patch('/flags/history_probe', { description: 'fresh edit' }).set('If-Match', `"elsewhere", ${before.etag}`);
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(before.version + 1);
    expect(ok.headers.etag).toBe(ok.body.etag);
    expect(ok.body.etag).not.toBe(before.etag);
    // `*`: any current flag.
    expect((await s.admin.patch('/flags/history_probe', { description: 'any edit' }).set('If-Match', '*')).status).toBe(200);
    for (const bad of ['yesterday', '"unterminated', '"a" "b"', '*, "a"', ',']) {
      const res400 = await s.admin.patch('/flags/history_probe', { description: 'x' }).set('If-Match', bad);
      expect(res400.status, bad).toBe(400);
      expect(res400.body.message, bad).toContain('If-Match');
    }
    expect((await s.admin.get('/flags/history_probe')).body.description).toBe('any edit');
  });

  it('an ETag handed out for a write the store lost never matches the write that took its version number', async () => {
    await s.admin.post('/flags', { key: 'lost_write_probe', description: 'as created' }).expect(201);
    const flags = s.db.collection('flags');
    const stored = await flags.findOne({ key: 'lost_write_probe' });
    // An operator's edit is acknowledged with version 2 and its ETag...
    const seen = await s.admin.patch('/flags/lost_write_probe', { state: 'on' }).expect(200);
    expect(seen.body.version).toBe(2);
    // ...then the store loses it (as the development store did on a hard kill) and a colleague's
    // different edit becomes version 2 in its place.
    await flags.replaceOne({ key: 'lost_write_probe' }, stored!);
    const other = await s.admin.patch('/flags/lost_write_probe', { description: 'a different change' }).expect(200);
    expect(other.body).toMatchObject({ version: 2, state: 'off' });

    // The holder of the lost write's ETag is told the flag changed, whatever its version says.
    const stale = await s.admin.patch('/flags/lost_write_probe', { state: 'rollout', pct: 10 }).set('If-Match', seen.headers.etag as string);
    expect(stale.status).toBe(412);
    expect((await s.admin.delete('/flags/lost_write_probe').set('If-Match', seen.headers.etag as string)).status).toBe(412);
    expect((await s.admin.get('/flags/lost_write_probe')).body).toMatchObject({ version: 2, state: 'off', pct: 0, description: 'a different change' });
    expect(other.headers.etag).not.toBe(seen.headers.etag);
  });

  it('of two concurrent PATCHes with the same If-Match exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const { version, etag } = (await s.admin.get('/flags/history_probe')).body;
      const [a, b] = await Promise.all([
        s.admin.patch('/flags/history_probe', { description: `A${round}` }).set('If-Match', etag),
        s.admin.patch('/flags/history_probe', { description: `B${round}` }).set('If-Match', etag),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const winner = a.status === 200 ? `A${round}` : `B${round}`;
      const now = (await s.admin.get('/flags/history_probe')).body;
      expect(now).toMatchObject({ version: version + 1, description: winner });
    }
  });

  it('evaluates every flag for a tenant exactly as the evaluator does, for members and operators only', async () => {
    await s.admin.patch('/flags/jmap_native_v2', { state: 'rollout', pct: 30, scope: { plans: ['business', 'enterprise'] } }).expect(200);
    await s.admin.patch('/flags/gdpr_export_v2', { state: 'targeted', scope: { partnerSlugs: ['flag-partner'] } }).expect(200);
    await s.admin.patch('/flags/shared_mailboxes', { state: 'on' }).expect(200);
    const flags = (await s.admin.get('/flags')).body.items;
    for (const [slug, id] of [...tenantIds].slice(0, 12)) {
      const res = await s.alice.post('/flags/evaluate', { tenantSlug: slug });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(flags.map((f: { key: string }) => f.key).sort());
      const i = Number(slug.split('-').at(-1));
      const ctx = { tenantId: id, tenantSlug: slug, plan: ['starter', 'business', 'enterprise'][i % 3]!, partnerSlug: i % 4 === 0 ? 'flag-partner' : null, environment: 'test' };
      for (const f of flags) expect(res.body[f.key], `${f.key} for ${slug}`).toBe(evaluateFlag(f, ctx));
      expect(res.body.shared_mailboxes).toBe(true);
    }
    expect((await s.admin.post('/flags/evaluate', { tenantSlug: 'flag-tenant-3' })).status).toBe(200);
    expect((await s.bob.post('/flags/evaluate', { tenantSlug: 'flag-tenant-3' })).status).toBe(404);
    expect((await s.bob.post('/flags/evaluate', { tenantSlug: 'no-such-tenant' })).status).toBe(404);
    expect((await s.bob.post('/flags/evaluate', { tenantSlug: 'bobs-own' })).status).toBe(200);
    expect((await s.bob.post('/flags/evaluate', { tenantSlug: { $ne: null } })).status).toBe(400);
  });

  it('a tenant attribute change (plan) reaches evaluation', async () => {
    await s.admin.patch('/flags/sso_enforcement', { state: 'targeted', scope: { plans: ['enterprise'] } }).expect(200);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'flag-tenant-0' })).body.sso_enforcement).toBe(false);
    await s.admin.patch('/tenants/flag-tenant-0', { plan: 'enterprise' }).expect(200);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'flag-tenant-0' })).body.sso_enforcement).toBe(true);
    await s.admin.patch('/tenants/flag-tenant-0', { plan: 'starter' }).expect(200);
  });

  it('explains a value with the reason, axis or bucket', async () => {
    const mismatch = await s.admin.get('/flags/gdpr_export_v2/explain?tenant=flag-tenant-1');
    expect(mismatch.body).toMatchObject({ value: false, reason: 'scope-mismatch', axis: 'partnerSlugs', context: { tenantSlug: 'flag-tenant-1', partnerSlug: null } });
    expect((await s.admin.get('/flags/gdpr_export_v2/explain?tenant=flag-tenant-4')).body).toMatchObject({ value: true, reason: 'scope-match' });
    const rollout = await s.admin.get('/flags/jmap_native_v2/explain?tenant=flag-tenant-1');
    expect(rollout.body).toMatchObject({ reason: expect.stringMatching(/^(inside|outside)-rollout$/), pct: 30, bucket: expect.any(Number) });
    expect(rollout.body.value).toBe(rollout.body.bucket < 30);
    expect((await s.admin.get('/flags/shared_mailboxes/explain?tenant=flag-tenant-1')).body).toMatchObject({ value: true, reason: 'on' });
    expect((await s.admin.get('/flags/shared_mailboxes/explain?tenant=ghost-tenant')).status).toBe(404);
    expect((await s.admin.get('/flags/no_such_flag/explain?tenant=flag-tenant-1')).status).toBe(404);
    expect((await s.admin.get('/flags/shared_mailboxes/explain')).status).toBe(404);
  });

  it('previews the impact of a draft exactly: who gains and who loses', async () => {
    const all = [...tenantIds.keys(), 'bobs-own'];
    const res = await s.admin.post('/flags/jmap_native_v2/impact', { pct: 60 });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(all.length);
    const evalOf = async (slug: string) => (await s.admin.post('/flags/evaluate', { tenantSlug: slug })).body.jmap_native_v2 as boolean;
    const before = await Promise.all(all.map(evalOf));
    expect(res.body.before).toBe(before.filter(Boolean).length);
    expect(res.body.lost).toEqual([]);
    await s.admin.patch('/flags/jmap_native_v2', { pct: 60 }).expect(200);
    const after = await Promise.all(all.map(evalOf));
    expect(res.body.after).toBe(after.filter(Boolean).length);
    expect(res.body.gained).toEqual(all.filter((_, i) => after[i] && !before[i]).sort());
    expect(res.body.gainedCount).toBe(res.body.gained.length);
    expect(res.body.lostCount).toBe(0);
    // Narrowing the scope loses exactly the tenants outside it.
    const narrow = await s.admin.post('/flags/jmap_native_v2/impact', { scope: { plans: ['enterprise'] } });
    expect(narrow.body.gained).toEqual([]);
    expect(narrow.body.lost).toEqual(all.filter((slug, i) => after[i] && !slug.match(/-(2|5|8|11|14|17|20|23|26|29|32|35|38)$/)).sort());
    expect(narrow.body).toMatchObject({ gainedCount: 0, lostCount: narrow.body.lost.length });
    expect((await s.admin.post('/flags/jmap_native_v2/impact', { pct: 150 })).status).toBe(400);
    expect((await s.admin.post('/flags/no_such_flag/impact', {})).status).toBe(404);
  });

  it('the kill switch turns a flag off for everyone in one request, whatever changed since it was read, audited as flag.kill', async () => {
    const read = await s.admin.get('/flags/jmap_native_v2').expect(200);
    // Someone else changes the flag after the operator read it: the kill applies all the same.
    await s.admin.patch('/flags/jmap_native_v2', { scope: { plans: ['enterprise'] } }).set('If-Match', read.headers.etag as string).expect(200);
    const res = await s.admin.post('/flags/jmap_native_v2/kill');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'off', pct: 0, version: read.body.version + 2, scope: { plans: ['enterprise'] } });
    expect(res.headers.etag).toBe(res.body.etag);
    expect(res.body.history[0].changes).toEqual({ state: { from: 'rollout', to: 'off' }, pct: { from: 60, to: 0 } });
    for (const slug of [...tenantIds.keys()].slice(0, 10)) {
      expect((await s.alice.post('/flags/evaluate', { tenantSlug: slug })).body.jmap_native_v2).toBe(false);
    }
    const audit = await s.admin.get('/audit?resourceType=flag&resourceId=jmap_native_v2&limit=1').expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'flag.kill', before: { state: 'rollout', pct: 60 }, after: { state: 'off', pct: 0 } });
    // Pressed again (a second operator in the same incident): answered as it is, no new version,
    // and the press is audited all the same.
    const again = await s.admin.post('/flags/jmap_native_v2/kill').expect(200);
    expect(again.body.version).toBe(res.body.version);
    const pressed = (await s.admin.get('/audit?resourceType=flag&resourceId=jmap_native_v2&limit=1')).body.items[0];
    expect(pressed.id).not.toBe(audit.body.items[0].id);
    expect(pressed).toMatchObject({ action: 'flag.kill', after: { state: 'off', pct: 0, version: res.body.version, unchanged: true } });
    // Customers cannot press it, and a missing flag is 404.
    await s.alice.post('/flags/jmap_native_v2/kill').expect(403);
    await s.admin.post('/flags/no_such_flag/kill').expect(404);
  });

  it('deletes with 204, then 404; honours If-Match', async () => {
    const created = (await s.admin.post('/flags', { key: 'short_lived', description: 'x' }).expect(201)).body;
    expect((await s.admin.delete('/flags/short_lived').set('If-Match', '"1"')).status).toBe(412);
    expect((await s.admin.delete('/flags/short_lived').set('If-Match', created.etag)).status).toBe(204);
    expect((await s.admin.get('/flags/short_lived')).status).toBe(404);
    expect((await s.admin.delete('/flags/short_lived')).status).toBe(404);
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'flag-tenant-1' })).body).not.toHaveProperty('short_lived');
  });

  it("booting again on the same database seeds what is missing and keeps operators' edits", async () => {
    await s.admin.delete('/flags/webmail_dark_mode').expect(204);
    // A flag as stored before flags carried an entity tag.
    await s.db.collection('flags').updateOne({ key: 'sso_enforcement' }, { $unset: { etag: '' } });
    const restarted = await createTestApp({ ...s.id.env, MONGO_DB_NAME: s.t.dbName });
    try {
      const flags = await restarted.app.get(FlagsRepository).all();
      const byKey = new Map(flags.map((f) => [f.key, f]));
      const tagged = byKey.get('sso_enforcement')!;
      expect(tagged.etag).toMatch(/^"[\x21\x23-\x7e]+"$/);
      expect(new Set(flags.map((f) => f.etag)).size).toBe(flags.length);
      await s.admin.patch('/flags/sso_enforcement', { description: 'tagged at boot' }).set('If-Match', tagged.etag).expect(200);
      expect(byKey.get('shared_mailboxes')).toMatchObject({ state: 'on' });
      expect(byKey.get('audit_log_export')).toMatchObject({ description: 'Export of audit logs', version: 2 });
      expect(byKey.get('webmail_dark_mode')).toMatchObject({ state: 'off', version: 1 });
      expect(flags.filter((f) => SEEDS.includes(f.key))).toHaveLength(SEEDS.length);
    } finally {
      await restarted.close();
    }
  });
});

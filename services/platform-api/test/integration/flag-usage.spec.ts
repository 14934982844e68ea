import { FLAG_USAGE_DAYS, type FlagUsage, type FlagUsageList } from '@dezky/contracts';
import { FlagUsageRepository } from '../../src/modules/flag-usage/flag-usage.repository';
import { FlagUsageService } from '../../src/modules/flag-usage/flag-usage.service';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN, ALICE } from '../support/identity';
import { caller, startSession, type Caller, type Session } from '../support/session';

const DAY = 86_400_000;
const usageOf = (list: FlagUsageList, key: string): FlagUsage => list.items.find((i) => i.key === key)!;

describe('flag usage: evaluations counted per flag and day, last evaluated, potentially stale flags', () => {
  let s: Session;
  /** A second API process on the same database. */
  let other: TestApp;
  let otherAdmin: Caller;
  let flagCount: number;
  let closed = false;

  // The tests store counts by calling flush() (and by closing a process): no timer of
  // FLAG_USAGE_FLUSH_MS (10 s by default) may store them at some moment in between, as it could
  // on a slow machine where the setup alone takes that long.
  const noTimedFlush = { FLAG_USAGE_FLUSH_MS: '600000' };

  beforeAll(async () => {
    s = await startSession(noTimedFlush);
    other = await createTestApp({ ...s.id.env, ...noTimedFlush, MONGO_DB_NAME: s.t.dbName });
    otherAdmin = caller(other, await s.id.token('operator', ADMIN));
    await s.alice.post('/tenants', { slug: 'usage-co', name: 'Usage Co' }).expect(201);
    await s.admin.patch('/flags/jmap_native_v2', { state: 'rollout', pct: 30 }).expect(200);
    flagCount = (await s.admin.get('/flags').expect(200)).body.items.length;
  }, 60_000);
  afterAll(async () => {
    if (!closed) await other?.close();
    await s?.close();
  });

  const usage = async (c: Caller = s.admin): Promise<FlagUsageList> => (await c.get('/flag-usage').expect(200)).body;

  it('starts with no evaluation of any flag, and 14 days of zeros', async () => {
    const list = await usage();
    expect(list.items).toHaveLength(flagCount);
    expect(list.staleAfterDays).toBe(30);
    for (const item of list.items) expect(item).toMatchObject({ lastEvaluatedAt: null, daily: new Array(FLAG_USAGE_DAYS).fill(0), kept: null });
    expect(list.firstDay).toBe(new Date(Date.now() - (FLAG_USAGE_DAYS - 1) * DAY).toISOString().slice(0, 10));
  });

  it('counts every answer of every flag once per flag, each OFREP single answer for its flag, and shows them at once in this process', async () => {
    const before = Date.now();
    for (let i = 0; i < 5; i++) await s.alice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    const bulk = await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'usage-co' } }).expect(200);
    // A 304 counts: the client goes on using what it has.
    await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'usage-co' } }).set('If-None-Match', bulk.headers.etag as string).expect(304);
    for (let i = 0; i < 3; i++) await s.alice.post('/ofrep/v1/evaluate/flags/jmap_native_v2', { context: { targetingKey: 'usage-co' } }).expect(200);
    // Refused evaluations count for nothing.
    await s.bob.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(404);
    await s.alice.post('/ofrep/v1/evaluate/flags/no_such_flag', { context: { targetingKey: 'usage-co' } }).expect(404);

    // A flag created since counts none of the answers given before it existed.
    await s.admin.post('/flags', { key: 'usage_newcomer', description: 'Created after the evaluations' }).expect(201);

    const list = await usage();
    expect(usageOf(list, 'jmap_native_v2').daily.at(-1)).toBe(10);
    expect(usageOf(list, 'gdpr_export_v2').daily.at(-1)).toBe(7);
    expect(usageOf(list, 'usage_newcomer')).toMatchObject({ lastEvaluatedAt: null, daily: new Array(FLAG_USAGE_DAYS).fill(0) });
    expect(usageOf(list, 'gdpr_export_v2').daily.slice(0, -1).every((n) => n === 0)).toBe(true);
    const last = Date.parse(usageOf(list, 'jmap_native_v2').lastEvaluatedAt!);
    expect(last).toBeGreaterThanOrEqual(before);
    expect(last).toBeLessThanOrEqual(Date.now());
    // Not stored yet: the other process sees nothing.
    expect(usageOf(await usage(otherAdmin), 'jmap_native_v2').lastEvaluatedAt).toBeNull();
  });

  it('stores the counts when flushed, and the counts of two processes add up', async () => {
    await s.t.app.get(FlagUsageService).flush();
    expect(usageOf(await usage(otherAdmin), 'jmap_native_v2').daily.at(-1)).toBe(10);
    const otherAlice = caller(other, await s.id.token('portal', ALICE));
    // The other process evaluates the flag set with the newcomer once it has followed its creation
    // (and the tenant's: until then it answers 404).
    const follows = async () => {
      const res = await otherAdmin.get('/tenants/usage-co/flags');
      return res.status === 200 && (res.body.items as { key: string }[]).some((f) => f.key === 'usage_newcomer');
    };
    await expect.poll(follows, { timeout: 5000, interval: 50 }).toBe(true);
    for (let i = 0; i < 4; i++) await otherAlice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    await other.app.get(FlagUsageService).flush();
    // Flushed twice: nothing is counted again.
    await s.t.app.get(FlagUsageService).flush();
    const list = await usage();
    expect(usageOf(list, 'jmap_native_v2').daily.at(-1)).toBe(14);
    expect(usageOf(list, 'gdpr_export_v2').daily.at(-1)).toBe(11);
    // One running total per process and day.
    expect(await s.db.collection('flag_usage').countDocuments({ key: 'gdpr_export_v2' })).toBe(2);
    // The newcomer was evaluated by the other process's answers only.
    expect(usageOf(list, 'usage_newcomer').daily.at(-1)).toBe(4);
  });

  it('counts nothing twice when a store is repeated after an unclear failure', async () => {
    const service = s.t.app.get(FlagUsageService);
    const repository = s.t.app.get(FlagUsageRepository);
    const before = usageOf(await usage(), 'gdpr_export_v2').daily.at(-1)!;
    await s.alice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    // The write lands, but its answer is lost: the next flush writes the same totals again.
    const store = repository.store.bind(repository);
    const spy = vi.spyOn(repository, 'store').mockImplementationOnce(async (...args) => {
      await store(...args);
      throw new Error('connection reset after the write');
    });
    try {
      await service.flush();
      await service.flush();
    } finally {
      spy.mockRestore();
    }
    expect(usageOf(await usage(otherAdmin), 'gdpr_export_v2').daily.at(-1)).toBe(before + 1);
  });

  it('does not call a flag with a planned ramp still to come stale', async () => {
    const later = () => other.app.get(FlagUsageService).list(Date.now() + 31 * DAY);
    expect(usageOf(await later(), 'calendar_sharing_v2').stale).toMatchObject({ reason: 'final', state: 'off' });
    const at = new Date(Date.now() + 40 * DAY).toISOString();
    await s.admin.put('/flags/calendar_sharing_v2/schedule', { steps: [{ at, state: 'rollout', pct: 10 }] }).expect(200);
    expect(usageOf(await later(), 'calendar_sharing_v2').stale).toBeNull();
    await s.admin.delete('/flags/calendar_sharing_v2/schedule').expect(200);
    expect(usageOf(await later(), 'calendar_sharing_v2').stale).toMatchObject({ reason: 'final', state: 'off' });
  });

  it('reports a flag unchanged in a final state, or not evaluated, for 30 days as potentially stale, and a kept one never', async () => {
    // A month from now, as the other process would answer then (tokens would have expired: its
    // service is asked directly).
    const later = () => other.app.get(FlagUsageService).list(Date.now() + 31 * DAY);
    let list = await later();
    // Seed flags are off since they were created: final.
    expect(usageOf(list, 'gdpr_export_v2').stale).toMatchObject({ reason: 'final', state: 'off' });
    // A rollout at 30% still decides per tenant, but nobody evaluated it for 31 days.
    const rollout = usageOf(list, 'jmap_native_v2');
    // Its last evaluation is still known (a moment ago, seen from a month later).
    expect(Date.now() - Date.parse(rollout.lastEvaluatedAt!)).toBeLessThan(10 * 60_000);
    expect(rollout.stale).toEqual({ reason: 'unevaluated', since: rollout.lastEvaluatedAt });
    // The last 14 days then hold no evaluation: today's counts are out of the window.
    expect(rollout.daily.every((n) => n === 0)).toBe(true);

    const kept = await otherAdmin.put('/flags/gdpr_export_v2/keep').expect(200);
    expect(kept.body).toMatchObject({ key: 'gdpr_export_v2', stale: null, kept: { by: ADMIN } });
    // Keeping it again changes nothing (one audit entry).
    await otherAdmin.put('/flags/gdpr_export_v2/keep').expect(200);
    list = await later();
    expect(usageOf(list, 'gdpr_export_v2')).toMatchObject({ stale: null, kept: { by: ADMIN } });
    expect(usageOf(list, 'new_billing_engine').stale).toMatchObject({ reason: 'final', state: 'off' });
    const unkept = await s.admin.delete('/flags/gdpr_export_v2/keep').expect(200);
    expect(unkept.body).toMatchObject({ kept: null, stale: null });
    await s.admin.delete('/flags/gdpr_export_v2/keep').expect(200);
    expect(usageOf(await later(), 'gdpr_export_v2').stale).toMatchObject({ reason: 'final', state: 'off' });

    const audit = (await s.admin.get('/audit?resourceType=flag&resourceId=gdpr_export_v2').expect(200)).body.items as { action: string }[];
    expect(audit.filter((e) => e.action === 'flag.keep' || e.action === 'flag.unkeep').map((e) => e.action)).toEqual(['flag.unkeep', 'flag.keep']);
    // Today nothing is stale: every flag was evaluated a moment ago, and changed less than 30 days ago.
    expect((await usage()).items.every((i) => i.stale === null)).toBe(true);
  });

  it('stores what a process counted when it shuts down, a flush in progress then included', async () => {
    const before = usageOf(await usage(), 'gdpr_export_v2').daily.at(-1)!;
    const otherAlice = caller(other, await s.id.token('portal', ALICE));
    await otherAlice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    // A slow store is under way while more is counted, and the process stops.
    const repository = other.app.get(FlagUsageRepository);
    const store = repository.store.bind(repository);
    vi.spyOn(repository, 'store').mockImplementation(async (...args) => {
      await new Promise((r) => setTimeout(r, 300));
      await store(...args);
    });
    void other.app.get(FlagUsageService).flush();
    await otherAlice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    await otherAlice.post('/flags/evaluate', { tenantSlug: 'usage-co' }).expect(200);
    await other.close();
    closed = true;
    expect(usageOf(await usage(), 'gdpr_export_v2').daily.at(-1)).toBe(before + 3);
  });

  it('keeps a flag only if it exists, for operators only', async () => {
    await s.admin.put('/flags/no_such_flag/keep').expect(404);
    await s.admin.put('/flags/NOT-A-KEY/keep').expect(404);
    await s.alice.put('/flags/gdpr_export_v2/keep').expect(403);
    await s.alice.get('/flag-usage').expect(403);
  });
});

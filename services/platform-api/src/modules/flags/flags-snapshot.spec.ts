import type { AppConfig } from '../../config/app-config';
import type { MembershipsService } from '../memberships/memberships.service';
import type { RevisionsService } from '../revisions/revisions.service';
import type { TenantsService } from '../tenants/tenants.service';
import type { FlagsRepository } from './flags.repository';
import { FlagsSnapshot } from './flags-snapshot';

/** In-memory stand-ins that count how often the snapshot reads "the database". */
function harness() {
  let revision = 1;
  let loads = 0;
  let failing = false;
  let release: (() => void) | undefined;
  const gate = () => new Promise<void>((r) => (release = r));
  let slow = false;
  const flags = {
    all: async () => {
      loads++;
      if (slow) await gate();
      if (failing) throw Object.assign(new Error('down'), { name: 'MongoServerSelectionError' });
      return [{ id: 'f1', key: 'alpha_flag', description: '', state: 'on', pct: 0, scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] }, version: revision, history: [], createdAt: '', updatedAt: '' }];
    },
  } as unknown as FlagsRepository;
  const tenants = { evaluationAttributes: async () => [{ id: 'a'.repeat(24), slug: 'acme', plan: 'business', partnerSlug: null }] } as unknown as TenantsService;
  const memberships = { allPairs: async () => [{ userId: 'u1', tenantId: 'a'.repeat(24) }] } as unknown as MembershipsService;
  const revisions = {
    current: async () => {
      if (failing) throw Object.assign(new Error('down'), { name: 'MongoServerSelectionError' });
      return revision;
    },
    onBump: () => () => undefined,
  } as unknown as RevisionsService;
  const snapshot = new FlagsSnapshot(flags, tenants, memberships, revisions, { appEnv: 'test' } as AppConfig);
  return {
    snapshot,
    loads: () => loads,
    bump: () => revision++,
    slow: (on: boolean) => (slow = on),
    release: () => release?.(),
    fail: (on: boolean) => (failing = on),
  };
}

describe('FlagsSnapshot', () => {
  it('builds flags, tenant contexts and memberships', async () => {
    const h = harness();
    const snap = await h.snapshot.get();
    expect(snap.flagsByKey.get('alpha_flag')?.state).toBe('on');
    expect(snap.tenants.get('acme')).toEqual({ tenantId: 'a'.repeat(24), tenantSlug: 'acme', plan: 'business', partnerSlug: null, environment: 'test' });
    expect(snap.members.get('a'.repeat(24))?.has('u1')).toBe(true);
  });

  it('rebuilds only when the revision moved, unless forced', async () => {
    const h = harness();
    await h.snapshot.refresh(true);
    await h.snapshot.refresh(false);
    expect(h.loads()).toBe(1);
    h.bump();
    await h.snapshot.refresh(false);
    expect(h.loads()).toBe(2);
    await h.snapshot.refresh(true);
    expect(h.loads()).toBe(3);
  });

  it('coalesces a burst of forced refreshes into one follow-up rebuild', async () => {
    const h = harness();
    await h.snapshot.refresh(true);
    h.slow(true);
    const first = h.snapshot.refresh(true);
    await new Promise((r) => setTimeout(r, 5));
    const burst = Array.from({ length: 10 }, () => h.snapshot.refresh(true));
    h.release();
    h.slow(false);
    await Promise.all([first, ...burst]);
    expect(h.loads()).toBe(3);
  });

  it('keeps the last snapshot and reports stale while the database is unreachable, then recovers', async () => {
    const h = harness();
    const before = await h.snapshot.get();
    h.fail(true);
    h.bump();
    await expect(h.snapshot.refresh(false)).rejects.toThrow('down');
    expect(h.snapshot.isStale).toBe(true);
    expect(await h.snapshot.get()).toBe(before);
    h.fail(false);
    await h.snapshot.refresh(false);
    expect(h.snapshot.isStale).toBe(false);
    expect((await h.snapshot.get()).revision).toBe(2);
  });
});

import type { Flag } from '@dezky/contracts';
import type { AppConfig } from '../../config/app-config';
import type { ChangeEvent, ChangeFeed, ChangeFollower } from '../changes/change-feed.service';
import type { MembershipsService } from '../memberships/memberships.service';
import type { TenantDirectory } from '../tenants/tenant-directory';
import type { FlagsRepository } from './flags.repository';
import { FlagsSnapshot, tenantEtag, type SnapshotChange } from './flags-snapshot';

const EMPTY_SCOPE = { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] };
const flag = (key: string, state: Flag['state'], version = 1): Flag => ({ id: key, key, description: '', state, pct: 0, scope: EMPTY_SCOPE, protected: false, version, etag: `"${version}-${key}"`, history: [], createdAt: '', updatedAt: '' });
const hexId = (n: number) => n.toString(16).padStart(24, '0');

/** In-memory stand-ins for the repositories, counting what the snapshot reads. */
function harness(tenantCount = 3) {
  const flags = new Map<string, Flag>([['alpha_flag', flag('alpha_flag', 'on')]]);
  const tenants = new Map<string, { id: string; slug: string; plan: string; partnerSlug: string | null }>();
  for (let i = 0; i < tenantCount; i++) tenants.set(hexId(i), { id: hexId(i), slug: `t-${i}`, plan: 'starter', partnerSlug: null });
  const pairs = new Set<string>([`u1:${hexId(0)}`]);
  const reads = { fullLoads: 0, tenantIds: [] as string[][], flagKeys: [] as string[][] };
  const repo = {
    all: async () => {
      reads.fullLoads++;
      return [...flags.values()];
    },
    findByKeys: async (keys: string[]) => {
      reads.flagKeys.push(keys);
      return keys.flatMap((k) => (flags.has(k) ? [flags.get(k)!] : []));
    },
  } as unknown as FlagsRepository;
  const tenantsService = {
    evaluationAttributes: async (ids?: string[]) => {
      if (ids) reads.tenantIds.push(ids);
      return ids ? ids.flatMap((id) => (tenants.has(id) ? [tenants.get(id)!] : [])) : [...tenants.values()];
    },
  } as unknown as TenantDirectory;
  const memberships = {
    allPairs: async () => [...pairs].map((p) => ({ userId: p.split(':')[0]!, tenantId: p.split(':')[1]! })),
    existingPairs: async (list: { userId: string; tenantId: string }[]) => list.filter((p) => pairs.has(`${p.userId}:${p.tenantId}`)),
  } as unknown as MembershipsService;
  let follower: ChangeFollower | undefined;
  const feed = { follow: (f: ChangeFollower) => (follower = f), behind: false } as unknown as ChangeFeed;
  const snapshot = new FlagsSnapshot(repo, tenantsService, memberships, feed, { appEnv: 'test' } as AppConfig);
  let seq = 0;
  const apply = (...changes: Omit<ChangeEvent, 'seq'>[]) => follower!.applyChanges(changes.map((c) => ({ ...c, seq: ++seq })));
  return { snapshot, flags, tenants, pairs, reads, apply, follower: () => follower };
}

describe('FlagsSnapshot', () => {
  it('follows the change log and builds flags, tenant contexts and memberships', async () => {
    const h = harness();
    expect(h.follower()).toBe(h.snapshot);
    const snap = await h.snapshot.get();
    expect(snap.flagsByKey.get('alpha_flag')?.state).toBe('on');
    expect(snap.tenants.get('t-0')).toEqual({ tenantId: hexId(0), tenantSlug: 't-0', plan: 'starter', partnerSlug: null, environment: 'test' });
    expect(snap.tenantsById.get(hexId(0))).toBe(snap.tenants.get('t-0'));
    expect(snap.members.get(hexId(0))?.has('u1')).toBe(true);
  });

  it('applies a tenant change by reading that tenant only, leaving every other context as it was', async () => {
    const h = harness(100_000);
    const snap = await h.snapshot.get();
    const untouched = snap.tenants.get('t-99999');
    const etagsBefore = [tenantEtag(snap, snap.tenants.get('t-42')!), tenantEtag(snap, untouched!)];
    const notified: SnapshotChange[] = [];
    h.snapshot.onChange((c) => notified.push(c));
    h.tenants.set(hexId(42), { id: hexId(42), slug: 't-42', plan: 'enterprise', partnerSlug: 'reseller' });

    await h.apply({ kind: 'tenant', ref: hexId(42) });
    // The changed tenant's answers have a new validator; the others keep theirs.
    expect(tenantEtag(snap, snap.tenants.get('t-42')!)).not.toBe(etagsBefore[0]);
    expect(tenantEtag(snap, untouched!)).toBe(etagsBefore[1]);

    expect(h.reads.fullLoads).toBe(1);
    expect(h.reads.tenantIds).toEqual([[hexId(42)]]);
    expect(snap.tenants.get('t-42')).toMatchObject({ plan: 'enterprise', partnerSlug: 'reseller' });
    expect(snap.tenants.get('t-99999')).toBe(untouched);
    expect(snap.tenants.size).toBe(100_000);
    expect(notified).toEqual([{ flags: false, tenantIds: [hexId(42)] }]);
    // Loading 100,000 tenants takes seconds on a busy machine; what is checked is what is read.
  }, 30_000);

  it('adds a tenant created elsewhere, and follows a slug change', async () => {
    const h = harness();
    const snap = await h.snapshot.get();
    h.tenants.set(hexId(7), { id: hexId(7), slug: 'newco', plan: 'business', partnerSlug: null });
    await h.apply({ kind: 'tenant', ref: hexId(7) });
    expect(snap.tenants.get('newco')?.tenantId).toBe(hexId(7));
    h.tenants.set(hexId(7), { id: hexId(7), slug: 'renamed', plan: 'business', partnerSlug: null });
    await h.apply({ kind: 'tenant', ref: hexId(7) });
    expect(snap.tenants.has('newco')).toBe(false);
    expect(snap.tenants.get('renamed')?.tenantId).toBe(hexId(7));
  });

  it('applies a flag change by reading that flag, recompiling the set and moving its validator', async () => {
    const h = harness();
    const snap = await h.snapshot.get();
    const etagBefore = snap.etag;
    const ctx = snap.tenants.get('t-1')!;
    const tenantEtagBefore = tenantEtag(snap, ctx);
    const notified: SnapshotChange[] = [];
    h.snapshot.onChange((c) => notified.push(c));

    h.flags.set('alpha_flag', flag('alpha_flag', 'off', 2));
    h.flags.set('beta_flag', flag('beta_flag', 'on'));
    await h.apply({ kind: 'flag', ref: 'alpha_flag' }, { kind: 'flag', ref: 'beta_flag' });

    expect(h.reads.fullLoads).toBe(1);
    expect(h.reads.flagKeys).toEqual([['alpha_flag', 'beta_flag']]);
    expect(snap.flags.map((f) => f.key)).toEqual(['alpha_flag', 'beta_flag']);
    expect(snap.flagsByKey.get('alpha_flag')?.state).toBe('off');
    expect(snap.etag).not.toBe(etagBefore);
    expect(tenantEtag(snap, ctx)).not.toBe(tenantEtagBefore);
    expect(notified).toEqual([{ flags: true, tenantIds: [] }]);

    h.flags.delete('beta_flag');
    await h.apply({ kind: 'flag', ref: 'beta_flag' });
    expect(snap.flagsByKey.has('beta_flag')).toBe(false);
    expect(snap.flags.map((f) => f.key)).toEqual(['alpha_flag']);
  });

  it('adds and removes memberships named by the log', async () => {
    const h = harness();
    const snap = await h.snapshot.get();
    h.pairs.add(`u2:${hexId(1)}`);
    await h.apply({ kind: 'membership', ref: `u2:${hexId(1)}` });
    expect(snap.members.get(hexId(1))?.has('u2')).toBe(true);
    h.pairs.delete(`u1:${hexId(0)}`);
    await h.apply({ kind: 'membership', ref: `u1:${hexId(0)}` });
    expect(snap.members.get(hexId(0))?.has('u1')).toBe(false);
  });

  it('ignores changes that name nothing it holds, and reloads everything when asked', async () => {
    const h = harness();
    await h.snapshot.get();
    await h.apply({ kind: 'user', ref: 'someone' });
    expect(h.reads.fullLoads).toBe(1);
    h.tenants.set(hexId(9), { id: hexId(9), slug: 'late', plan: 'starter', partnerSlug: null });
    await h.follower()!.reload();
    expect(h.reads.fullLoads).toBe(2);
    expect((await h.snapshot.get()).tenants.has('late')).toBe(true);
  });

  it('gives the same tenant validator in every process for the same content', async () => {
    const a = await harness().snapshot.get();
    const b = await harness().snapshot.get();
    expect(tenantEtag(a, a.tenants.get('t-2')!)).toBe(tenantEtag(b, b.tenants.get('t-2')!));
    expect(tenantEtag(a, a.tenants.get('t-2')!)).not.toBe(tenantEtag(a, a.tenants.get('t-1')!));
  });
});

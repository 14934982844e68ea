import { createHash } from 'node:crypto';
import { RolloutBuckets } from '@dezky/flags-core';
import { flagChanged, snapshotBuckets, tenantAdded } from './snapshot-buckets';

const reference = (tenantId: string, key: string): number =>
  createHash('sha256').update(`${tenantId}:${key}`).digest().readUInt32BE(0) % 100;
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(24, '0'));

describe('snapshotBuckets', () => {
  const flags = [
    { key: 'rolling_out', state: 'rollout' as const },
    { key: 'switched_off', state: 'off' as const },
    { key: 'everyone', state: 'on' as const },
  ];

  it('gives every tenant a slot and computes the column of every rollout flag, only those', () => {
    const tenants = ids(300);
    const buckets = snapshotBuckets(undefined, tenants, flags);
    expect(buckets.size).toBe(300);
    expect(buckets.flagKeys()).toEqual(['rolling_out']);
    expect(buckets.precompute('rolling_out')).toBe(0); // already complete
    for (const id of tenants) expect(buckets.bucket(id, 'rolling_out')).toBe(reference(id, 'rolling_out'));
  });

  it('carries the store over: new tenants get slots, deleted flags lose their column, nothing is recomputed', () => {
    const first = snapshotBuckets(undefined, ids(100), flags);
    first.precompute('switched_off'); // previewed as a rollout once
    const next = snapshotBuckets(first, ids(110), [...flags.filter((f) => f.key !== 'everyone'), { key: 'fresh_rollout', state: 'rollout' }]);
    expect(next).toBe(first);
    expect(next.size).toBe(110);
    expect(next.flagKeys().sort()).toEqual(['fresh_rollout', 'rolling_out', 'switched_off']);
    expect(next.precompute('rolling_out')).toBe(0);
    expect(next.precompute('switched_off')).toBe(10); // kept, the new tenants not computed yet
    const dropped = snapshotBuckets(next, ids(110), [{ key: 'rolling_out', state: 'rollout' }]);
    expect(dropped.flagKeys()).toEqual(['rolling_out']);
  });

  it('starts a fresh store once too many of its tenants are gone', () => {
    const first = snapshotBuckets(undefined, ids(5000), flags);
    expect(snapshotBuckets(first, ids(4500, 500), flags)).toBe(first); // 500 gone: kept
    const fresh = snapshotBuckets(first, ids(2000, 10_000), flags);
    expect(fresh).not.toBe(first);
    expect(fresh.size).toBe(2000);
    expect(fresh.precompute('rolling_out')).toBe(0);
  });

  it('supports incremental updates: a tenant added, a flag made a rollout, a flag deleted', () => {
    const buckets = new RolloutBuckets(ids(10));
    tenantAdded(buckets, 'ffffffffffffffffffffffff');
    expect(buckets.slotOf('ffffffffffffffffffffffff')).toBe(10);
    flagChanged(buckets, 'switched_off', { state: 'off' });
    expect(buckets.hasFlag('switched_off')).toBe(false);
    flagChanged(buckets, 'switched_off', { state: 'rollout' });
    expect(buckets.precompute('switched_off')).toBe(0);
    flagChanged(buckets, 'switched_off', undefined);
    expect(buckets.hasFlag('switched_off')).toBe(false);
  });
});

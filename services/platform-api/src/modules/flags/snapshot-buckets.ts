import type { Flag } from '@dezky/contracts';
import { RolloutBuckets } from '@dezky/flags-core';

/**
 * Rollout buckets of the flags snapshot. A bucket depends only on the tenant id and the flag
 * key, so one store serves snapshot after snapshot: a rebuild gives new tenants a slot, drops
 * the columns of deleted flags and computes what is missing of every rollout flag's column. A
 * store holding too many tenants that are gone is replaced by a fresh one.
 *
 * The store is only ever added to while snapshots that share it are serving (computing a
 * bucket or giving a tenant a slot never changes an answer), so a request still reading the
 * previous snapshot is unaffected. Cost: one byte per (tenant, flag with a column), and one
 * map entry per tenant; a whole column of 100,000 tenants takes about 40 ms to compute.
 */

/** Tenants gone from the data may keep up to this share of the slots before the store is rebuilt. */
const MAX_GONE_SHARE = 0.25;

/**
 * The store for a snapshot of `tenantIds` and `flags`: `previous` brought up to date when it
 * can be, else a fresh one. Every tenant has a slot and every rollout flag's column is complete.
 */
export function snapshotBuckets(previous: RolloutBuckets | undefined, tenantIds: readonly string[], flags: readonly Pick<Flag, 'key' | 'state'>[]): RolloutBuckets {
  let buckets: RolloutBuckets;
  if (previous !== undefined) {
    // Listed in the order they were added, the tenants it holds are found without hashing ids.
    const slots = previous.slotsOf(tenantIds);
    let held = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i]! >= 0) held++;
    if (previous.size - held <= Math.max(1000, tenantIds.length * MAX_GONE_SHARE)) {
      buckets = previous;
      for (let i = 0; i < slots.length; i++) if (slots[i]! < 0) buckets.addTenant(tenantIds[i]!);
    } else {
      buckets = new RolloutBuckets(tenantIds);
    }
  } else {
    buckets = new RolloutBuckets(tenantIds);
  }
  buckets.retainFlags(flags.map((f) => f.key));
  precomputeRollouts(buckets, flags);
  return buckets;
}

/** Compute what is missing of the column of every flag in the `rollout` state. */
export function precomputeRollouts(buckets: RolloutBuckets, flags: Iterable<Pick<Flag, 'key' | 'state'>>): void {
  for (const flag of flags) if (flag.state === 'rollout') buckets.precompute(flag.key);
}

/**
 * For an incremental update: a flag created, changed or (with `flag` undefined) deleted. A
 * rollout gets its column now; a deleted flag's column is dropped. Other changes keep the
 * column (the flag may become a rollout again, or be previewed as one).
 */
export function flagChanged(buckets: RolloutBuckets, key: string, flag: Pick<Flag, 'state'> | undefined): void {
  if (flag === undefined) buckets.forgetFlag(key);
  else if (flag.state === 'rollout') buckets.precompute(key);
}

/**
 * For an incremental update: a tenant added. It gets a slot; its buckets of the rollout flags
 * are computed at its first evaluation (one SHA-256 per rollout flag it is eligible for).
 */
export function tenantAdded(buckets: RolloutBuckets, tenantId: string): void {
  buckets.addTenant(tenantId);
}

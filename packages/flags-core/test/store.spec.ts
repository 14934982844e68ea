import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RolloutBuckets, rolloutBucket } from '../src/index.js';
import { NOT_COMPUTED } from '../src/store.js';
import { flagKeyArb, tenantIdArb } from './helpers.js';

/** Independent reference: streaming createHash. */
const reference = (tenantId: string, key: string): number =>
  createHash('sha256').update(`${tenantId}:${key}`, 'utf8').digest().readUInt32BE(0) % 100;

const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(24, '0'));

describe('RolloutBuckets', () => {
  it('gives tenants dense slots in the order they are added, once each', () => {
    const store = new RolloutBuckets(['aaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbb']);
    expect(store.size).toBe(2);
    expect(store.slotOf('aaaaaaaaaaaaaaaaaaaaaaaa')).toBe(0);
    expect(store.slotOf('bbbbbbbbbbbbbbbbbbbbbbbb')).toBe(1);
    expect(store.addTenant('aaaaaaaaaaaaaaaaaaaaaaaa')).toBe(0);
    expect(store.addTenant('cccccccccccccccccccccccc')).toBe(2);
    expect(store.size).toBe(3);
    expect(store.tenantAt(2)).toBe('cccccccccccccccccccccccc');
    expect(store.slotOf('dddddddddddddddddddddddd')).toBe(-1);
    expect(store.hasTenant('dddddddddddddddddddddddd')).toBe(false);
  });

  it('answers rolloutBucket for held and unknown tenants, warm or cold, and keeps only held ones', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tenantIdArb, { minLength: 1, maxLength: 20 }), tenantIdArb, flagKeyArb, (held, other, key) => {
        const store = new RolloutBuckets(held);
        for (const id of held) {
          expect(store.bucket(id, key)).toBe(reference(id, key)); // computed into the column
          expect(store.bucket(id, key)).toBe(reference(id, key)); // read back
          expect(store.bucketAt(store.slotOf(id), key)).toBe(reference(id, key));
        }
        const before = store.size;
        expect(store.bucket(other, key)).toBe(reference(other, key));
        expect(store.size).toBe(before);
        expect(store.hasTenant(other)).toBe(held.includes(other));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps one byte per (tenant, flag): one Uint8Array column per flag key, NOT_COMPUTED until needed', () => {
    const store = new RolloutBuckets(ids(10), 10);
    expect(store.stats()).toEqual({ tenants: 10, capacity: 64, flags: 0, columnBytes: 0 });
    store.bucket(ids(1)[0]!, 'k');
    store.bucket(ids(2)[1]!, 'k2');
    expect(store.stats()).toEqual({ tenants: 10, capacity: 64, flags: 2, columnBytes: 128 });
    expect(NOT_COMPUTED).toBe(255); // outside 0..99
  });

  it('precomputes a whole column in one call, then has nothing left to compute', () => {
    const tenants = ids(1000);
    const store = new RolloutBuckets(tenants);
    store.bucket(tenants[3]!, 'new_billing_engine'); // one already computed
    expect(store.precompute('new_billing_engine')).toBe(999);
    expect(store.precompute('new_billing_engine')).toBe(0);
    for (const id of tenants) expect(store.bucket(id, 'new_billing_engine')).toBe(reference(id, 'new_billing_engine'));
    store.addTenant('ffffffffffffffffffffffff');
    expect(store.precompute('new_billing_engine')).toBe(1);
  });

  it('grows past its capacity, keeping every computed bucket and computing the new slots', () => {
    const first = ids(64);
    const store = new RolloutBuckets(first);
    expect(store.stats().capacity).toBe(64);
    store.precompute('grow');
    store.bucket(first[0]!, 'partial');
    const more = ids(200, 64);
    for (const id of more) store.addTenant(id);
    expect(store.size).toBe(264);
    expect(store.stats().capacity).toBe(324); // 64 -> 96 -> 144 -> 216 -> 324
    expect(store.precompute('grow')).toBe(200); // the old slots were carried over
    expect(store.precompute('partial')).toBe(263);
    for (const id of [...first, ...more]) {
      expect(store.bucket(id, 'grow')).toBe(reference(id, 'grow'));
      expect(store.bucket(id, 'partial')).toBe(reference(id, 'partial'));
    }
  });

  it('reserve makes room up front; a tenant list sizes the store', () => {
    const store = new RolloutBuckets();
    store.reserve(100_000);
    expect(store.stats().capacity).toBe(100_000);
    expect(new RolloutBuckets(ids(1000)).stats().capacity).toBe(1000);
    expect(new RolloutBuckets(ids(10), 500).stats().capacity).toBe(500);
  });

  it('forgets a flag key (and recomputes it on demand), or every key not retained', () => {
    const tenants = ids(5);
    const store = new RolloutBuckets(tenants);
    for (const key of ['a_flag', 'b_flag', 'c_flag']) store.precompute(key);
    expect(store.flagKeys()).toEqual(['a_flag', 'b_flag', 'c_flag']);
    expect(store.forgetFlag('b_flag')).toBe(true);
    expect(store.forgetFlag('b_flag')).toBe(false);
    expect(store.hasFlag('b_flag')).toBe(false);
    expect(store.retainFlags(['c_flag', 'unknown'])).toBe(1);
    expect(store.flagKeys()).toEqual(['c_flag']);
    expect(store.bucket(tenants[0]!, 'a_flag')).toBe(reference(tenants[0]!, 'a_flag'));
    expect(store.precompute('a_flag')).toBe(4);
  });

  it('finds the slots of many tenants at once, in any order, -1 for those without one', () => {
    const tenants = ids(500);
    const store = new RolloutBuckets(tenants);
    expect([...store.slotsOf(tenants)]).toEqual(tenants.map((_, i) => i));
    const mixed = [tenants[7]!, 'eeeeeeeeeeeeeeeeeeeeeeee', tenants[8]!, tenants[3]!, tenants[499]!, tenants[0]!];
    expect([...store.slotsOf(mixed)]).toEqual([7, -1, 8, 3, 499, 0]);
    // Equal strings that are not the same object (ids read again from the database).
    expect([...store.slotsOf(tenants.map((id) => `${id.slice(0, 12)}${id.slice(12)}`))]).toEqual(tenants.map((_, i) => i));
    expect(store.slotsOf([])).toHaveLength(0);
  });

  it('refuses slots no tenant holds', () => {
    const store = new RolloutBuckets(ids(3));
    for (const slot of [-1, 3, 63, 64, 1.5]) {
      expect(() => store.bucketAt(slot, 'k')).toThrow(RangeError);
      expect(() => store.tenantAt(slot)).toThrow(RangeError);
    }
  });

  it('keeps stores apart: one store computing a column leaves another untouched', () => {
    const tenants = ids(50);
    const a = new RolloutBuckets(tenants);
    const b = new RolloutBuckets(tenants);
    a.precompute('shared_key');
    expect(b.hasFlag('shared_key')).toBe(false);
    expect(b.precompute('shared_key')).toBe(50);
    for (const id of tenants) expect(a.bucket(id, 'shared_key')).toBe(rolloutBucket(id, 'shared_key'));
  });
});

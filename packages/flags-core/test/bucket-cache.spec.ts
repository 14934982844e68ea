import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUCKET_CACHE_MAX_ENTRIES,
  bucketCacheSize,
  clearBucketCache,
  rolloutBucket,
  setBucketCacheMaxEntriesForTests,
} from '../src/bucket.js';

describe('bucket memo', () => {
  afterEach(() => {
    setBucketCacheMaxEntriesForTests(BUCKET_CACHE_MAX_ENTRIES);
  });

  it('memoises one entry per (tenantId, key)', () => {
    clearBucketCache();
    rolloutBucket('aaaaaaaaaaaaaaaaaaaaaaaa', 'k');
    rolloutBucket('aaaaaaaaaaaaaaaaaaaaaaaa', 'k');
    rolloutBucket('aaaaaaaaaaaaaaaaaaaaaaaa', 'k2');
    expect(bucketCacheSize()).toBe(2);
  });

  it('stays bounded and keeps answering the same buckets after clearing', () => {
    const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(24, '0'));
    const before = ids.map((id) => rolloutBucket(id, 'bounded'));
    setBucketCacheMaxEntriesForTests(10);
    for (const id of ids) {
      rolloutBucket(id, 'bounded');
      expect(bucketCacheSize()).toBeLessThanOrEqual(10);
    }
    expect(ids.map((id) => rolloutBucket(id, 'bounded'))).toEqual(before);
  });

  it('answers right for tenants interleaved key by key, across clears of the memo', () => {
    const reference = (tenantId: string, key: string): number =>
      createHash('sha256').update(`${tenantId}:${key}`, 'utf8').digest().readUInt32BE(0) % 100;
    const tenants = ['aaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbb', '0123456789abcdef01234567'];
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    setBucketCacheMaxEntriesForTests(7);
    for (let pass = 0; pass < 3; pass++) {
      for (const key of keys) {
        for (const tenantId of tenants) {
          expect(rolloutBucket(tenantId, key)).toBe(reference(tenantId, key));
          expect(bucketCacheSize()).toBeLessThanOrEqual(7);
        }
      }
    }
  });

  it('has a bound of a million entries by default', () => {
    expect(BUCKET_CACHE_MAX_ENTRIES).toBe(1_000_000);
  });
});

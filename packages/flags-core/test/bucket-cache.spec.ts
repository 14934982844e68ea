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

  it('has a bound of a million entries by default', () => {
    expect(BUCKET_CACHE_MAX_ENTRIES).toBe(1_000_000);
  });
});

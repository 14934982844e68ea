// Rollout buckets. The only module that touches a Node API (node:crypto).
import { hash } from 'node:crypto';

/** The memo is cleared once it holds this many entries, so its memory stays bounded. */
export const BUCKET_CACHE_MAX_ENTRIES = 1_000_000;

let maxEntries = BUCKET_CACHE_MAX_ENTRIES;
// A bucket never changes for a (tenantId, key), so it is safe to memoise.
// Keyed by the same `${tenantId}:${key}` string that is hashed.
const cache = new Map<string, number>();

/** SHA-256 of the UTF-8 string, first 4 bytes as a big-endian uint32, mod 100. */
function computeBucket(input: string): number {
  return hash('sha256', input, 'buffer').readUInt32BE(0) % 100;
}

/**
 * The tenant's bucket (0..99) for a flag: SHA-256 of the UTF-8 string
 * `${tenantId}:${key}`, first 4 bytes read as an unsigned big-endian 32-bit integer,
 * mod 100. Deterministic across processes; memoised in a bounded cache.
 */
export function rolloutBucket(tenantId: string, key: string): number {
  const input = `${tenantId}:${key}`;
  const cached = cache.get(input);
  if (cached !== undefined) return cached;
  const bucket = computeBucket(input);
  if (cache.size >= maxEntries) cache.clear();
  cache.set(input, bucket);
  return bucket;
}

/**
 * `rolloutBucket(tenantId, key) < pct`. Since buckets are 0..99, pct <= 0 (or NaN) is
 * false for everyone and pct >= 100 true for everyone, without hashing.
 */
export function inRolloutBucket(tenantId: string, key: string, pct: number): boolean {
  if (!(pct > 0)) return false;
  if (pct >= 100) return true;
  return rolloutBucket(tenantId, key) < pct;
}

/** Entries currently memoised (for tests and diagnostics). */
export function bucketCacheSize(): number {
  return cache.size;
}

/** Forget every memoised bucket (for tests and benchmarks that want cold hashing). */
export function clearBucketCache(): void {
  cache.clear();
}

/**
 * Internal, for tests: change the bound (clearing the memo) and return the previous one.
 * Not exported from the package entry point.
 */
export function setBucketCacheMaxEntriesForTests(limit: number): number {
  const previous = maxEntries;
  maxEntries = limit;
  cache.clear();
  return previous;
}

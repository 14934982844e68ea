// Rollout buckets. The only module that touches a Node API (node:crypto).
import { hash } from 'node:crypto';

/** The memo is cleared once it holds this many entries, so its memory stays bounded. */
export const BUCKET_CACHE_MAX_ENTRIES = 1_000_000;

let maxEntries = BUCKET_CACHE_MAX_ENTRIES;
// A bucket never changes for a (tenantId, key), so it is safe to memoise. Two levels,
// tenantId -> (flag key -> bucket): a lookup needs no string concatenation, both keys are
// long-lived strings whose hashes V8 keeps, and one tenant's buckets sit together. An
// evaluation asks for one tenant's buckets flag after flag, so the last tenant's map is kept
// at hand. `size` counts (tenantId, key) entries over all tenants; that is what is bounded.
const cache = new Map<string, Map<string, number>>();
let size = 0;
let lastTenantId: string | undefined;
let lastBuckets: Map<string, number> | undefined;

/**
 * SHA-256 of the UTF-8 string, first 4 bytes as a big-endian uint32, mod 100. The digest is
 * taken as hex, whose first 8 digits are those 4 bytes big-endian: the same number, and
 * about 40% faster in Node 24 than allocating a Buffer for the digest.
 */
function computeBucket(input: string): number {
  return parseInt(hash('sha256', input, 'hex').slice(0, 8), 16) % 100;
}

function forgetAll(): void {
  cache.clear();
  size = 0;
  lastTenantId = undefined;
  lastBuckets = undefined;
}

/**
 * The tenant's bucket (0..99) for a flag: SHA-256 of the UTF-8 string
 * `${tenantId}:${key}`, first 4 bytes read as an unsigned big-endian 32-bit integer,
 * mod 100. Deterministic across processes; memoised in a bounded cache.
 */
export function rolloutBucket(tenantId: string, key: string): number {
  let buckets: Map<string, number> | undefined;
  if (tenantId === lastTenantId) {
    buckets = lastBuckets;
  } else {
    buckets = cache.get(tenantId);
    if (buckets !== undefined) {
      lastTenantId = tenantId;
      lastBuckets = buckets;
    }
  }
  if (buckets !== undefined) {
    const cached = buckets.get(key);
    if (cached !== undefined) return cached;
  }
  const bucket = computeBucket(`${tenantId}:${key}`);
  if (size >= maxEntries) {
    forgetAll();
    buckets = undefined;
  }
  if (buckets === undefined) {
    buckets = new Map<string, number>();
    cache.set(tenantId, buckets);
    lastTenantId = tenantId;
    lastBuckets = buckets;
  }
  buckets.set(key, bucket);
  size++;
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
  return size;
}

/** Forget every memoised bucket (for tests and benchmarks that want cold hashing). */
export function clearBucketCache(): void {
  forgetAll();
}

/**
 * Internal, for tests: change the bound (clearing the memo) and return the previous one.
 * Not exported from the package entry point.
 */
export function setBucketCacheMaxEntriesForTests(limit: number): number {
  const previous = maxEntries;
  maxEntries = limit;
  forgetAll();
  return previous;
}

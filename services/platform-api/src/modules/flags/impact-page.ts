/**
 * The items of ranks `offset .. offset + limit - 1` of `items` in ascending order (JavaScript
 * string order, as `Array.prototype.sort` without a comparator), without sorting the rest:
 * two quickselects (expected linear time) and a sort of the page. `items` is reordered.
 * A preview over 100,000 tenants can gain tens of thousands of slugs; sorting them all for a
 * page of 100 would cost more than the preview itself.
 */
export function sortedPage(items: string[], offset: number, limit: number): string[] {
  const n = items.length;
  const start = Math.min(Math.max(0, offset), n);
  const end = Math.min(start + Math.max(0, limit), n);
  if (start >= end) return [];
  if (start > 0) select(items, start, 0, n - 1);
  if (end < n) select(items, end, start, n - 1);
  return items.slice(start, end).sort();
}

/**
 * Reorder `a[lo..hi]` so that `a[k]` holds the item of rank k, the ones before it are smaller
 * and the ones after it larger (items are distinct or equal; equal ones may sit either side).
 * Random pivots, so no input order makes it quadratic in expectation.
 */
function select(a: string[], k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const pivot = a[lo + Math.floor(Math.random() * (hi - lo + 1))]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] (if any) equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

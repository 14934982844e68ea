import fc from 'fast-check';
import { slugOrderKey } from './natural-order';

/**
 * Natural order, spelled out: character by character by code point, except that where both
 * slugs have a run of digits the runs compare as numbers (`01` and `1` are the same number).
 */
function naturalCompare(a: string, b: string): number {
  const digits = /\d+/y;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    digits.lastIndex = i;
    const runA = digits.exec(a)?.[0];
    digits.lastIndex = j;
    const runB = digits.exec(b)?.[0];
    if (runA && runB) {
      const [x, y] = [BigInt(runA), BigInt(runB)];
      if (x !== y) return x < y ? -1 : 1;
      i += runA.length;
      j += runB.length;
    } else {
      if (a[i] !== b[j]) return a[i]! < b[j]! ? -1 : 1;
      i += 1;
      j += 1;
    }
  }
  return Math.sign(a.length - i - (b.length - j));
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('slugOrderKey', () => {
  it('sorts numbers by value: t1, t2, t10, t11', () => {
    const slugs = ['t11', 't2', 't10', 't1', 'a-9', 'a-10', 'b'];
    expect(slugs.sort((a, b) => byCodePoint(slugOrderKey(a), slugOrderKey(b)))).toEqual(['a-9', 'a-10', 'b', 't1', 't2', 't10', 't11']);
  });

  it('orders any two slugs by code point exactly as they compare in natural order', () => {
    const slug = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '-', '0', '1', '2', '9'), minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(slug, slug, (a, b) => {
        expect(byCodePoint(slugOrderKey(a), slugOrderKey(b))).toBe(naturalCompare(a, b));
      }),
      { numRuns: 5000 },
    );
  });
});

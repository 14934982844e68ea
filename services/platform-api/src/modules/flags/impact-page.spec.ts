import fc from 'fast-check';
import { sortedPage } from './impact-page';

describe('sortedPage', () => {
  it('answers the same page as sorting everything and slicing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }),
        fc.nat({ max: 320 }),
        fc.integer({ min: 0, max: 120 }),
        (items, offset, limit) => {
          const expected = [...items].sort().slice(offset, offset + limit);
          expect(sortedPage([...items], offset, limit)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('pages cover the sorted list exactly, with no overlap', () => {
    const slugs = Array.from({ length: 1234 }, (_, i) => `tenant-${(i * 7919) % 1234}`);
    const pages: string[] = [];
    for (let offset = 0; offset < slugs.length; offset += 100) pages.push(...sortedPage([...slugs], offset, 100));
    expect(pages).toEqual([...slugs].sort());
  });

  it('handles many equal items and sorted or reversed input', () => {
    const equal = Array.from({ length: 5000 }, () => 'same');
    expect(sortedPage(equal, 2500, 3)).toEqual(['same', 'same', 'same']);
    const sorted = Array.from({ length: 5000 }, (_, i) => String(i).padStart(5, '0'));
    expect(sortedPage([...sorted], 4990, 100)).toEqual(sorted.slice(4990));
    expect(sortedPage([...sorted].reverse(), 0, 2)).toEqual(['00000', '00001']);
  });

  it('is empty past the end or for a zero limit', () => {
    expect(sortedPage(['b', 'a'], 2, 100)).toEqual([]);
    expect(sortedPage(['b', 'a'], 0, 0)).toEqual([]);
    expect(sortedPage([], 0, 100)).toEqual([]);
  });
});

import { JITTER, MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS } from './webhook-retries';

describe('nextAttemptAt', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up after the 8th attempt', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => nextAttemptAt(i + 1, 0, 0.5));
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, null]);
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeLessThan(28 * 3_600_000);
  });

  it('jitters each wait by at most a fifth, both ways', () => {
    expect(nextAttemptAt(1, 1000, 0)).toBe(1000 + 5000 * (1 - JITTER));
    expect(nextAttemptAt(1, 1000, 0.999999)).toBeCloseTo(1000 + 5000 * (1 + JITTER), -1);
    expect(nextAttemptAt(2, 0, 0)!).toBeGreaterThan(nextAttemptAt(1, 0, 0.999999)!);
  });
});

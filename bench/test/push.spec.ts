import { describe, expect, it } from 'vitest';
import { fanOut } from '../src/push.mjs';

describe('push benchmark figures', () => {
  it('measures each arrival from the moment the change was sent', () => {
    const sentAt = 1_000_000;
    const arrivals = Array.from({ length: 100 }, (_, i) => sentAt + i + 1);
    const r = fanOut(sentAt, arrivals);
    expect(r.count).toBe(100);
    expect(r.max).toBe(100);
    expect(r.p50).toBeGreaterThanOrEqual(49);
    expect(r.p50).toBeLessThanOrEqual(51);
    expect(r.p99).toBeGreaterThanOrEqual(98);
  });

  it('has no figures when nothing arrived', () => {
    const r = fanOut(0, []);
    expect(r.count).toBe(0);
    expect(Number.isNaN(r.max)).toBe(true);
  });
});

import type { Flag } from '@dezky/contracts';
import type { Explanation } from '@dezky/flags-core';
import { ofrepJson, toOfrep } from './evaluation-answers';

const flag = (over: Partial<Flag>): Flag => ({
  id: '000000000000000000000001',
  key: 'new_billing_engine',
  description: '',
  protected: false,
  state: 'rollout',
  pct: 30,
  scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] },
  version: 3,
  etag: '"v3"',
  history: [],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

describe('ofrepJson', () => {
  it('is the JSON of toOfrep for every answer a flag can give, remembered per answer', () => {
    const rollout = flag({});
    const answers: Explanation[] = [
      ...Array.from({ length: 100 }, (_, bucket): Explanation => ({ value: bucket < 30, reason: bucket < 30 ? 'inside-rollout' : 'outside-rollout', bucket, pct: 30 })),
      { value: false, reason: 'scope-mismatch', axis: 'plans' },
      { value: false, reason: 'scope-mismatch', axis: 'environments' },
    ];
    for (const e of answers) expect(ofrepJson(rollout, e)).toBe(JSON.stringify(toOfrep(rollout, e)));
    // Asked again, the same strings; and a scope mismatch names its own axis.
    expect(ofrepJson(rollout, answers[7]!)).toContain('"bucket":7');
    expect(JSON.parse(ofrepJson(rollout, answers[100]!)).metadata).toEqual({ dezkyReason: 'scope-mismatch', flagVersion: 3, axis: 'plans' });
    expect(JSON.parse(ofrepJson(rollout, answers[101]!)).metadata.axis).toBe('environments');
  });

  it('keeps the answers of each flag object apart, so a changed flag answers anew', () => {
    const before = flag({ pct: 30 });
    const after = flag({ pct: 60, version: 4 });
    const e = (pct: number): Explanation => ({ value: 45 < pct, reason: 45 < pct ? 'inside-rollout' : 'outside-rollout', bucket: 45, pct });
    expect(JSON.parse(ofrepJson(before, e(30)))).toMatchObject({ value: false, reason: 'SPLIT', metadata: { pct: 30, flagVersion: 3 } });
    expect(JSON.parse(ofrepJson(after, e(60)))).toMatchObject({ value: true, reason: 'SPLIT', metadata: { pct: 60, flagVersion: 4 } });
    const on = flag({ state: 'on' });
    expect(JSON.parse(ofrepJson(on, { value: true, reason: 'on' }))).toMatchObject({ value: true, reason: 'STATIC', variant: 'on' });
    expect(JSON.parse(ofrepJson(on, { value: false, reason: 'off' }))).toMatchObject({ value: false, reason: 'DISABLED', variant: 'off' });
  });
});

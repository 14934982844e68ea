import type { Flag } from '@dezky/contracts';
import { EXPLANATION_CODE, explanationOfCode } from '@dezky/flags-core';
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
  it('is the JSON of toOfrep for every answer a flag can give, by explanation code, remembered per code', () => {
    const rollout = flag({});
    const codes = [...Array.from({ length: 100 }, (_, bucket) => EXPLANATION_CODE.BUCKET + bucket), EXPLANATION_CODE.SCOPE_MISMATCH, EXPLANATION_CODE.SCOPE_MISMATCH + 3];
    for (const code of codes) expect(ofrepJson(rollout, code)).toBe(JSON.stringify(toOfrep(rollout, explanationOfCode(code, 30))));
    // Asked again, the same strings; and a scope mismatch names its own axis.
    expect(ofrepJson(rollout, EXPLANATION_CODE.BUCKET + 7)).toContain('"bucket":7');
    expect(JSON.parse(ofrepJson(rollout, EXPLANATION_CODE.BUCKET + 7))).toMatchObject({ value: true, reason: 'SPLIT', metadata: { dezkyReason: 'inside-rollout', pct: 30 } });
    expect(JSON.parse(ofrepJson(rollout, EXPLANATION_CODE.BUCKET + 30))).toMatchObject({ value: false, metadata: { dezkyReason: 'outside-rollout' } });
    expect(JSON.parse(ofrepJson(rollout, EXPLANATION_CODE.SCOPE_MISMATCH)).metadata).toEqual({ dezkyReason: 'scope-mismatch', flagVersion: 3, axis: 'plans' });
    expect(JSON.parse(ofrepJson(rollout, EXPLANATION_CODE.SCOPE_MISMATCH + 3)).metadata.axis).toBe('environments');
  });

  it('keeps the answers of each flag object apart, so a changed flag answers anew', () => {
    const before = flag({ pct: 30 });
    const after = flag({ pct: 60, version: 4 });
    const bucket45 = EXPLANATION_CODE.BUCKET + 45;
    expect(JSON.parse(ofrepJson(before, bucket45))).toMatchObject({ value: false, reason: 'SPLIT', metadata: { pct: 30, flagVersion: 3 } });
    expect(JSON.parse(ofrepJson(after, bucket45))).toMatchObject({ value: true, reason: 'SPLIT', metadata: { pct: 60, flagVersion: 4 } });
    const on = flag({ state: 'on' });
    expect(JSON.parse(ofrepJson(on, EXPLANATION_CODE.ON))).toMatchObject({ value: true, reason: 'STATIC', variant: 'on' });
    expect(JSON.parse(ofrepJson(on, EXPLANATION_CODE.OFF))).toMatchObject({ value: false, reason: 'DISABLED', variant: 'off' });
  });
});

import { describe, expect, it } from 'vitest';
import { compileFlags, evaluateAll, evaluateAllCompiled, evaluateFlag, evaluateFlagForEach, explain, explainAllCompiledCodes, explanationOfCode, rolloutBucket, RolloutBuckets } from '../src/index.js';
import { loadVectors } from './helpers.js';

const vectors = loadVectors();

describe('vectors.json (the cases of EVALUATION.md)', () => {
  it('has cases to check', () => {
    expect(vectors.buckets.length).toBeGreaterThan(0);
    expect(vectors.evals.length).toBeGreaterThan(0);
  });

  describe('buckets', () => {
    it.each(vectors.buckets.map((b, i) => ({ i, ...b })))(
      '#$i rolloutBucket($tenantId, $key) = $bucket',
      ({ tenantId, key, bucket }) => {
        expect(rolloutBucket(tenantId, key)).toBe(bucket);
        const store = new RolloutBuckets([tenantId]);
        store.precompute(key);
        expect(store.bucket(tenantId, key)).toBe(bucket);
      },
    );
  });

  describe('evals', () => {
    it.each(vectors.evals.map((e, i) => ({ i, state: e.flag.state, ...e })))(
      '#$i $state flag -> $expected',
      ({ flag, ctx, expected }) => {
        expect(evaluateFlag(flag, ctx)).toBe(expected);
        expect(explain(flag, ctx).value).toBe(expected);
        expect(evaluateAll([flag], ctx)).toEqual({ [flag.key]: expected });
        expect(evaluateAllCompiled(compileFlags([flag]), ctx)).toEqual({ [flag.key]: expected });
        const store = new RolloutBuckets([ctx.tenantId]);
        expect(evaluateFlag(flag, ctx, store)).toBe(expected);
        expect(explain(flag, ctx, store).value).toBe(expected);
        expect(evaluateAll([flag], ctx, store)).toEqual({ [flag.key]: expected });
        expect(evaluateAllCompiled(compileFlags([flag]), ctx, store)).toEqual({ [flag.key]: expected });
        expect([...evaluateFlagForEach(flag, [ctx]), ...evaluateFlagForEach(flag, [ctx], store)]).toEqual(expected ? [1, 1] : [0, 0]);
        const [code] = explainAllCompiledCodes(compileFlags([flag]), ctx, store, new Uint8Array(1));
        expect(explanationOfCode(code!, flag.pct)).toStrictEqual(explain(flag, ctx));
      },
    );
  });
});

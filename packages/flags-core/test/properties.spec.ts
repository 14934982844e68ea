import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileFlags,
  evaluateAll,
  evaluateAllCompiled,
  evaluateAllCompiledJson,
  explainAllCompiledCodes,
  explanationOfCode,
  evaluateFlag,
  evaluateFlagForEach,
  explain,
  firstFailingAxis,
  hasAnyScope,
  matchesScope,
  rolloutBucket,
  RolloutBuckets,
  type EvaluationContext,
  type FlagDefinition,
} from '../src/index.js';
import { ctxArb, flagArb, flagKeyArb, scopeArb, tenantIdArb } from './helpers.js';

/** Independent reference for the bucket: streaming createHash. */
function referenceBucket(tenantId: string, key: string): number {
  const digest = createHash('sha256').update(`${tenantId}:${key}`, 'utf8').digest();
  return ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!;
}

describe('determinism', () => {
  it('rolloutBucket equals an independent SHA-256 reference, and so does a store, cold or warm', () => {
    fc.assert(
      fc.property(tenantIdArb, fc.oneof(flagKeyArb, fc.string({ unit: 'binary', maxLength: 30 })), (tenantId, key) => {
        const expected = referenceBucket(tenantId, key) % 100;
        expect(rolloutBucket(tenantId, key)).toBe(expected);
        const store = new RolloutBuckets([tenantId]);
        expect(store.bucket(tenantId, key)).toBe(expected); // computed into the store
        expect(store.bucket(tenantId, key)).toBe(expected); // read from it
      }),
      { numRuns: 500 },
    );
  });

  it('the same flag and context always give the same answer and explanation', () => {
    fc.assert(
      fc.property(flagArb, ctxArb, (flag, c) => {
        const first = evaluateFlag(flag, c);
        const firstExplanation = explain(flag, c);
        expect(evaluateFlag(flag, structuredClone(c))).toBe(first);
        expect(explain(structuredClone(flag), c)).toStrictEqual(firstExplanation);
      }),
      { numRuns: 500 },
    );
  });
});

describe('explain', () => {
  it('explain(...).value always equals evaluateFlag(...)', () => {
    fc.assert(
      fc.property(flagArb, ctxArb, (flag, c) => {
        expect(explain(flag, c).value).toBe(evaluateFlag(flag, c));
      }),
      { numRuns: 1000 },
    );
  });

  it('reports a rollout bucket and pct consistent with rolloutBucket', () => {
    fc.assert(
      fc.property(flagArb, ctxArb, (flag, c) => {
        const e = explain(flag, c);
        if (e.reason === 'inside-rollout' || e.reason === 'outside-rollout') {
          expect(flag.state).toBe('rollout');
          expect(e.bucket).toBe(rolloutBucket(c.tenantId, flag.key));
          expect(e.pct).toBe(flag.pct);
          expect(e.reason === 'inside-rollout').toBe(e.bucket < e.pct);
        } else if (e.reason === 'scope-mismatch') {
          expect(e.axis).toBe(firstFailingAxis(flag.scope, c));
        } else {
          expect(['off', 'on', 'no-scope', 'scope-match']).toContain(e.reason);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('scope', () => {
  it('firstFailingAxis is null exactly when matchesScope', () => {
    fc.assert(
      fc.property(scopeArb, ctxArb, (scope, c) => {
        expect(firstFailingAxis(scope, c) === null).toBe(matchesScope(scope, c));
      }),
      { numRuns: 1000 },
    );
  });

  it('a scope with no non-empty axis matches everyone', () => {
    fc.assert(
      fc.property(scopeArb, ctxArb, (scope, c) => {
        fc.pre(!hasAnyScope(scope));
        expect(matchesScope(scope, c)).toBe(true);
      }),
    );
  });
});

describe('rollout pct', () => {
  const rollout = (key: string, pct: number, scope: FlagDefinition['scope']): FlagDefinition =>
    scope === undefined ? { key, state: 'rollout', pct } : { key, state: 'rollout', pct, scope };

  it('is monotonic: raising p to q never turns a tenant off, and adds exactly the eligible buckets in [p, q)', () => {
    fc.assert(
      fc.property(
        flagKeyArb,
        scopeArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(ctxArb, { minLength: 1, maxLength: 30 }),
        (key, scope, a, b, contexts) => {
          const p = Math.min(a, b);
          const q = Math.max(a, b);
          for (const c of contexts) {
            const atP = evaluateFlag(rollout(key, p, scope), c);
            const atQ = evaluateFlag(rollout(key, q, scope), c);
            if (atP) expect(atQ).toBe(true);
            const bucket = rolloutBucket(c.tenantId, key);
            const added = atQ && !atP;
            expect(added).toBe(matchesScope(scope, c) && bucket >= p && bucket < q);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pct 0 turns everyone off; pct 100 turns every eligible tenant on', () => {
    fc.assert(
      fc.property(flagKeyArb, scopeArb, ctxArb, (key, scope, c) => {
        expect(evaluateFlag(rollout(key, 0, scope), c)).toBe(false);
        expect(evaluateFlag(rollout(key, 100, scope), c)).toBe(matchesScope(scope, c));
        expect(evaluateFlag(rollout(key, 100, {}), c)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fairness', () => {
  // 20,000 tenant ids from a fixed seed, so the test is deterministic (no flaky 3-sigma misses).
  const N = 20_000;
  const ids = fc.sample(tenantIdArb, { numRuns: N, seed: 42 });
  const expected = N / 100;
  const sigma = Math.sqrt(N * 0.01 * 0.99); // binomial(N, 1%)

  function histogram(key: string): number[] {
    const counts = new Array<number>(100).fill(0);
    for (const id of ids) counts[rolloutBucket(id, key)]!++;
    return counts;
  }

  it('uses the fixed sample of distinct 24-hex tenant ids', () => {
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    expect(ids.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
  });

  // "Each bucket within 3 sigma" is checked on all 100 buckets, but taken literally it is
  // not a pass/fail rule a fair hash meets: each bucket falls outside 3 sigma with
  // p = 0.27%, so ~24% of fair 20,000-id samples have at least one such bucket (this very
  // sample has bucket 7 of new_billing_engine at 151, -3.5 sigma). So: every bucket is
  // checked against 3 sigma and at most 2 of the 100 may fall outside it (a fair hash
  // expects 0.27; P(>= 3) ~ 0.3%), none may pass 4.5 sigma (P ~ 0.07%), and the whole
  // histogram must pass a chi-square test.
  it.each(['new_billing_engine', 'gdpr_export_v2', 'ünïcode_key', 'x_1'])(
    'buckets for %s each hold about 1% of 20,000 tenants (3 sigma of binomial)',
    (key) => {
      const counts = histogram(key);
      expect(counts).toHaveLength(100);
      expect(counts.reduce((s, n) => s + n, 0)).toBe(N);
      const z = counts.map((n) => Math.abs(n - expected) / sigma);
      const beyond3 = z.map((v, bucket) => ({ bucket, count: counts[bucket], z: v })).filter((b) => b.z > 3);
      expect(beyond3.length, JSON.stringify(beyond3)).toBeLessThanOrEqual(2);
      expect(Math.max(...z)).toBeLessThan(4.5);
      const chi2 = counts.reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
      // 99 degrees of freedom: the 0.999 quantile is about 148.23.
      expect(chi2).toBeLessThan(148.23);
    },
  );
});

describe('compiled evaluation', () => {
  it('evaluateAllCompiledJson parses to evaluateAllCompiled, for any key (even __proto__)', () => {
    const keyArb = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'a"b', 'ü\\n'));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyArb, flagArb).map(([key, f]) => ({ ...f, key })), { selector: (f) => f.key, maxLength: 25 }),
        fc.array(ctxArb, { minLength: 1, maxLength: 5 }),
        (flags, contexts) => {
          const compiled = compileFlags(flags);
          const store = new RolloutBuckets(contexts.map((c) => c.tenantId));
          for (const c of contexts) {
            const json = evaluateAllCompiledJson(compiled, c, store);
            // Same members; JSON.stringify of an object would put integer-like keys first.
            expect(JSON.parse(json)).toStrictEqual(evaluateAllCompiled(compiled, c));
            expect(JSON.parse(json)).toStrictEqual(evaluateAll(flags, c));
            expect(evaluateAllCompiledJson(compiled, c)).toBe(json);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('explainAllCompiledCodes stands for explain of every flag, with a store and without', () => {
    fc.assert(
      fc.property(fc.array(flagArb, { maxLength: 25 }), fc.array(ctxArb, { minLength: 1, maxLength: 5 }), (flags, contexts) => {
        const compiled = compileFlags(flags);
        const store = new RolloutBuckets(contexts.map((c) => c.tenantId));
        const codes = new Uint8Array(flags.length);
        for (const c of contexts) {
          const expected = flags.map((f) => explain(f, c));
          expect([...explainAllCompiledCodes(compiled, c, store, codes)].map((code, i) => explanationOfCode(code, flags[i]!.pct))).toStrictEqual(expected);
          expect([...explainAllCompiledCodes(compiled, c, undefined, codes)].map((code, i) => explanationOfCode(code, flags[i]!.pct))).toStrictEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('evaluateAllCompiled(compileFlags(flags), ctx) equals evaluateAll(flags, ctx)', () => {
    fc.assert(
      fc.property(fc.array(flagArb, { maxLength: 25 }), fc.array(ctxArb, { minLength: 1, maxLength: 5 }), (flags, contexts) => {
        const compiled = compileFlags(flags);
        for (const c of contexts) {
          expect(evaluateAllCompiled(compiled, c)).toStrictEqual(evaluateAll(flags, c));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('evaluateAll agrees with evaluateFlag per flag', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(flagArb, { selector: (f) => f.key, maxLength: 25 }),
        ctxArb,
        (flags, c: EvaluationContext) => {
          const all = evaluateAll(flags, c);
          expect(Object.keys(all)).toHaveLength(flags.length);
          for (const flag of flags) expect(Object.getOwnPropertyDescriptor(all, flag.key)?.value).toBe(evaluateFlag(flag, c));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('evaluation with a bucket store', () => {
  // A store in every state a caller can leave it in: absent, empty, holding the tenant with
  // nothing computed, holding it with every column computed, and not holding the tenant.
  const stores = (flags: readonly FlagDefinition[], c: EvaluationContext): Array<[string, RolloutBuckets | undefined]> => {
    const warm = new RolloutBuckets(['000000000000000000000000', c.tenantId]);
    for (const f of flags) warm.precompute(f.key);
    return [
      ['none', undefined],
      ['empty', new RolloutBuckets()],
      ['cold', new RolloutBuckets([c.tenantId])],
      ['warm', warm],
      ['other tenants', new RolloutBuckets(['ffffffffffffffffffffffff'])],
    ];
  };

  it('gives every evaluator the same answers as without one', () => {
    fc.assert(
      fc.property(fc.array(flagArb, { maxLength: 25 }), ctxArb, (flags, c) => {
        const all = evaluateAll(flags, c);
        const compiled = compileFlags(flags);
        for (const [name, store] of stores(flags, c)) {
          expect(evaluateAll(flags, c, store), name).toStrictEqual(all);
          expect(evaluateAllCompiled(compiled, c, store), name).toStrictEqual(all);
          expect(evaluateAllCompiled(compiled, c, store), `${name}, again`).toStrictEqual(all);
          for (const flag of flags) {
            expect(evaluateFlag(flag, c, store), name).toBe(evaluateFlag(flag, c));
            expect(explain(flag, c, store), name).toStrictEqual(explain(flag, c));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a store shared by many tenants answers each one its own buckets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(flagArb, { selector: (f) => f.key, maxLength: 10 }), fc.array(ctxArb, { minLength: 1, maxLength: 10 }), (flags, contexts) => {
        const store = new RolloutBuckets(contexts.map((c) => c.tenantId));
        const compiled = compileFlags(flags);
        for (let pass = 0; pass < 2; pass++) {
          for (const c of contexts) expect(evaluateAllCompiled(compiled, c, store)).toStrictEqual(evaluateAll(flags, c));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluateFlagForEach', () => {
  it('equals evaluateFlag for every context, with no store or a store holding some of the tenants in any order', () => {
    fc.assert(
      fc.property(flagArb, fc.array(ctxArb, { maxLength: 30 }), fc.nat(), (flag, contexts, seed) => {
        const expected = contexts.map((c) => (evaluateFlag(flag, c) ? 1 : 0));
        expect([...evaluateFlagForEach(flag, contexts)]).toEqual(expected);
        // Some tenants held, in a shuffled order, plus one the contexts do not name.
        const held = contexts.filter((_, i) => (seed >> i % 30) & 1).map((c) => c.tenantId);
        held.sort(() => (seed % 3) - 1);
        const store = new RolloutBuckets(['ffffffffffffffffffffffff', ...held]);
        expect([...evaluateFlagForEach(flag, contexts, store)]).toEqual(expected);
        expect([...evaluateFlagForEach(flag, contexts, store)]).toEqual(expected); // warm
      }),
      { numRuns: 500 },
    );
  });
});

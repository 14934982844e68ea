import { describe, expect, it } from 'vitest';
import {
  SCOPE_AXES,
  compileFlags,
  evaluateAll,
  evaluateAllCompiled,
  evaluateFlag,
  explain,
  firstFailingAxis,
  hasAnyScope,
  inRolloutBucket,
  matchesScope,
  rolloutBucket,
  type EvaluationContext,
  type Explanation,
  type FlagDefinition,
  type FlagScope,
  type ScopeAxis,
} from '../src/index.js';
import { ctx } from './helpers.js';

/** Evaluate through every entry point and check they agree before returning the answer. */
function evalEverywhere(flag: FlagDefinition, c: EvaluationContext): boolean {
  const value = evaluateFlag(flag, c);
  expect(explain(flag, c).value).toBe(value);
  expect(evaluateAll([flag], c)[flag.key]).toBe(value);
  expect(evaluateAllCompiled(compileFlags([flag]), c)[flag.key]).toBe(value);
  return value;
}

const base = ctx(); // acme / business / nordic-it / production

describe('hasAnyScope', () => {
  it.each<{ name: string; scope: FlagScope | undefined; expected: boolean }>([
    { name: 'missing scope', scope: undefined, expected: false },
    { name: 'no axes', scope: {}, expected: false },
    { name: 'all axes empty', scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] }, expected: false },
    { name: 'plans only', scope: { plans: ['business'] }, expected: true },
    { name: 'tenantSlugs only', scope: { tenantSlugs: ['acme'] }, expected: true },
    { name: 'partnerSlugs only', scope: { partnerSlugs: ['nordic-it'] }, expected: true },
    { name: 'environments only', scope: { environments: ['production'] }, expected: true },
    { name: 'one non-empty among empties', scope: { plans: [], environments: ['staging'] }, expected: true },
  ])('$name -> $expected', ({ scope, expected }) => {
    expect(hasAnyScope(scope)).toBe(expected);
  });
});

describe('matchesScope / firstFailingAxis', () => {
  it.each<{ name: string; scope: FlagScope | undefined; c: EvaluationContext; fails: ScopeAxis | null }>([
    { name: 'missing scope matches everyone', scope: undefined, c: base, fails: null },
    { name: 'empty scope matches everyone', scope: {}, c: base, fails: null },
    { name: 'all-empty axes match everyone', scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] }, c: base, fails: null },
    { name: 'plan listed', scope: { plans: ['starter', 'business'] }, c: base, fails: null },
    { name: 'plan not listed', scope: { plans: ['starter'] }, c: base, fails: 'plans' },
    { name: 'tenant listed', scope: { tenantSlugs: ['acme'] }, c: base, fails: null },
    { name: 'tenant not listed', scope: { tenantSlugs: ['globex'] }, c: base, fails: 'tenantSlugs' },
    { name: 'partner listed', scope: { partnerSlugs: ['nordic-it'] }, c: base, fails: null },
    { name: 'partner not listed', scope: { partnerSlugs: ['baltic-cloud'] }, c: base, fails: 'partnerSlugs' },
    { name: 'null partner vs non-empty partner axis', scope: { partnerSlugs: ['nordic-it'] }, c: ctx({ partnerSlug: null }), fails: 'partnerSlugs' },
    { name: 'null partner vs partner axis holding "null"', scope: { partnerSlugs: ['null'] }, c: ctx({ partnerSlug: null }), fails: 'partnerSlugs' },
    { name: 'null partner vs empty partner axis', scope: { partnerSlugs: [], plans: ['business'] }, c: ctx({ partnerSlug: null }), fails: null },
    { name: 'environment listed', scope: { environments: ['production'] }, c: base, fails: null },
    { name: 'environment not listed', scope: { environments: ['staging'] }, c: base, fails: 'environments' },
    { name: 'every axis listed', scope: { plans: ['business'], tenantSlugs: ['acme'], partnerSlugs: ['nordic-it'], environments: ['production'] }, c: base, fails: null },
    { name: 'matching is exact (case)', scope: { tenantSlugs: ['ACME'] }, c: base, fails: 'tenantSlugs' },
    { name: 'matching is exact (no prefix)', scope: { tenantSlugs: ['acm'] }, c: base, fails: 'tenantSlugs' },
    { name: 'first failing axis: plans before environments', scope: { plans: ['starter'], environments: ['staging'] }, c: base, fails: 'plans' },
    { name: 'first failing axis: tenantSlugs before partnerSlugs', scope: { tenantSlugs: ['globex'], partnerSlugs: ['baltic-cloud'] }, c: base, fails: 'tenantSlugs' },
    { name: 'first failing axis: partnerSlugs before environments', scope: { partnerSlugs: ['baltic-cloud'], environments: ['staging'] }, c: base, fails: 'partnerSlugs' },
    { name: 'only the later axis fails', scope: { plans: ['business'], environments: ['staging'] }, c: base, fails: 'environments' },
  ])('$name', ({ scope, c, fails }) => {
    expect(firstFailingAxis(scope, c)).toBe(fails);
    expect(matchesScope(scope, c)).toBe(fails === null);
  });

  it('null partner never matches, even an axis that (bad data) holds null', () => {
    const scope = { partnerSlugs: [null as unknown as string] };
    const c = ctx({ partnerSlug: null });
    expect(matchesScope(scope, c)).toBe(false);
    expect(firstFailingAxis(scope, c)).toBe('partnerSlugs');
    for (const state of ['targeted', 'rollout'] as const) {
      expect(evalEverywhere({ key: 'k', state, pct: 100, scope }, c)).toBe(false);
    }
  });

  it('lists the axes in check order', () => {
    expect(SCOPE_AXES).toEqual(['plans', 'tenantSlugs', 'partnerSlugs', 'environments']);
  });
});

describe('rolloutBucket / inRolloutBucket', () => {
  it('hashes `${tenantId}:${key}` (separator matters)', () => {
    // Same concatenation of characters, different split: both must hash the joined string.
    expect(rolloutBucket('ab', 'c:d')).toBe(rolloutBucket('ab:c', 'd'));
  });

  it('is in 0..99 and an integer', () => {
    for (let i = 0; i < 200; i++) {
      const b = rolloutBucket(i.toString(16).padStart(24, '0'), 'some_flag');
      expect(Number.isInteger(b) && b >= 0 && b < 100).toBe(true);
    }
  });

  it.each([
    { tenantId: '1fa2e905cb82d98200faf961', key: 'x_1', bucket: 0 },
    { tenantId: '34dad13901206590ff9842a2', key: 'x_1', bucket: 7 },
  ])('inRolloutBucket is bucket < pct ($tenantId in bucket $bucket)', ({ tenantId, key, bucket }) => {
    expect(rolloutBucket(tenantId, key)).toBe(bucket);
    expect(inRolloutBucket(tenantId, key, bucket)).toBe(false);
    expect(inRolloutBucket(tenantId, key, bucket + 1)).toBe(true);
    expect(inRolloutBucket(tenantId, key, 0)).toBe(false);
    expect(inRolloutBucket(tenantId, key, 100)).toBe(true);
  });
});

describe('evaluateFlag rules', () => {
  // Tenant 1fa2e905cb82d98200faf961 is in bucket 0 for key x_1, 34dad13901206590ff9842a2 in bucket 7.
  const t0 = ctx({ tenantId: '1fa2e905cb82d98200faf961' });
  const t7 = ctx({ tenantId: '34dad13901206590ff9842a2' });
  const mismatching: FlagScope = { plans: ['starter'] };
  const matching: FlagScope = { plans: ['business'], environments: ['production'] };

  it.each<{ name: string; flag: FlagDefinition; c: EvaluationContext; expected: boolean }>([
    { name: 'off, no scope', flag: { key: 'x_1', state: 'off', pct: 100 }, c: base, expected: false },
    { name: 'off ignores a matching scope and pct 100', flag: { key: 'x_1', state: 'off', pct: 100, scope: matching }, c: base, expected: false },
    { name: 'on, no scope', flag: { key: 'x_1', state: 'on', pct: 0 }, c: base, expected: true },
    { name: 'on ignores a mismatching scope and pct 0', flag: { key: 'x_1', state: 'on', pct: 0, scope: mismatching }, c: base, expected: true },
    { name: 'targeted, missing scope = nobody', flag: { key: 'x_1', state: 'targeted', pct: 100 }, c: base, expected: false },
    { name: 'targeted, empty scope = nobody', flag: { key: 'x_1', state: 'targeted', pct: 100, scope: {} }, c: base, expected: false },
    { name: 'targeted, all-empty axes = nobody', flag: { key: 'x_1', state: 'targeted', pct: 100, scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] } }, c: base, expected: false },
    { name: 'targeted by plan, match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { plans: ['business'] } }, c: base, expected: true },
    { name: 'targeted by plan, miss', flag: { key: 'x_1', state: 'targeted', pct: 100, scope: { plans: ['enterprise'] } }, c: base, expected: false },
    { name: 'targeted by tenant, match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { tenantSlugs: ['globex', 'acme'] } }, c: base, expected: true },
    { name: 'targeted by tenant, miss', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { tenantSlugs: ['globex'] } }, c: base, expected: false },
    { name: 'targeted by partner, match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { partnerSlugs: ['nordic-it'] } }, c: base, expected: true },
    { name: 'targeted by partner, miss', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { partnerSlugs: ['baltic-cloud'] } }, c: base, expected: false },
    { name: 'targeted by partner, null partner never matches', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { partnerSlugs: ['nordic-it'] } }, c: ctx({ partnerSlug: null }), expected: false },
    { name: 'targeted by plan, null partner irrelevant', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { plans: ['business'] } }, c: ctx({ partnerSlug: null }), expected: true },
    { name: 'targeted by environment, match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { environments: ['production'] } }, c: base, expected: true },
    { name: 'targeted by environment, miss', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { environments: ['staging'] } }, c: base, expected: false },
    { name: 'targeted, several axes all match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: matching }, c: base, expected: true },
    { name: 'targeted, one of several axes misses', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { ...matching, tenantSlugs: ['globex'] } }, c: base, expected: false },
    { name: 'rollout, missing scope, bucket 0 < pct 1', flag: { key: 'x_1', state: 'rollout', pct: 1 }, c: t0, expected: true },
    { name: 'rollout, empty scope = everyone eligible, bucket 0 < pct 1', flag: { key: 'x_1', state: 'rollout', pct: 1, scope: {} }, c: t0, expected: true },
    { name: 'rollout, empty scope, bucket 7 not < pct 7', flag: { key: 'x_1', state: 'rollout', pct: 7, scope: {} }, c: t7, expected: false },
    { name: 'rollout, empty scope, bucket 7 < pct 8', flag: { key: 'x_1', state: 'rollout', pct: 8, scope: {} }, c: t7, expected: true },
    { name: 'rollout, pct 0 = nobody even in bucket 0', flag: { key: 'x_1', state: 'rollout', pct: 0 }, c: t0, expected: false },
    { name: 'rollout, pct 100 = every eligible', flag: { key: 'x_1', state: 'rollout', pct: 100, scope: matching }, c: t7, expected: true },
    { name: 'rollout, scope match and in bucket', flag: { key: 'x_1', state: 'rollout', pct: 8, scope: matching }, c: t7, expected: true },
    { name: 'rollout, scope match but outside bucket', flag: { key: 'x_1', state: 'rollout', pct: 7, scope: matching }, c: t7, expected: false },
    { name: 'rollout, in bucket but scope miss', flag: { key: 'x_1', state: 'rollout', pct: 100, scope: mismatching }, c: t0, expected: false },
    { name: 'rollout, null partner never matches a partner axis', flag: { key: 'x_1', state: 'rollout', pct: 100, scope: { partnerSlugs: ['nordic-it'] } }, c: ctx({ partnerSlug: null }), expected: false },
  ])('$name -> $expected', ({ flag, c, expected }) => {
    expect(evalEverywhere(flag, c)).toBe(expected);
  });

  it('fails closed on a state outside the four (bad data)', () => {
    const flag = { key: 'x_1', state: 'archived', pct: 100 } as unknown as FlagDefinition;
    expect(evalEverywhere(flag, base)).toBe(false);
    expect(explain(flag, base)).toEqual({ value: false, reason: 'off' });
  });
});

describe('explain', () => {
  const t7 = ctx({ tenantId: '34dad13901206590ff9842a2' }); // bucket 7 for x_1

  it.each<{ name: string; flag: FlagDefinition; c: EvaluationContext; expected: Explanation }>([
    { name: 'off', flag: { key: 'x_1', state: 'off', pct: 50, scope: { plans: ['business'] } }, c: base, expected: { value: false, reason: 'off' } },
    { name: 'on', flag: { key: 'x_1', state: 'on', pct: 0, scope: { plans: ['starter'] } }, c: base, expected: { value: true, reason: 'on' } },
    { name: 'targeted, no scope', flag: { key: 'x_1', state: 'targeted', pct: 100 }, c: base, expected: { value: false, reason: 'no-scope' } },
    { name: 'targeted, all-empty scope', flag: { key: 'x_1', state: 'targeted', pct: 100, scope: { plans: [], environments: [] } }, c: base, expected: { value: false, reason: 'no-scope' } },
    { name: 'targeted, match', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { tenantSlugs: ['acme'] } }, c: base, expected: { value: true, reason: 'scope-match' } },
    { name: 'targeted, plans fail', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { plans: ['starter'], environments: ['staging'] } }, c: base, expected: { value: false, reason: 'scope-mismatch', axis: 'plans' } },
    { name: 'targeted, tenantSlugs fail', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { plans: ['business'], tenantSlugs: ['globex'], environments: ['staging'] } }, c: base, expected: { value: false, reason: 'scope-mismatch', axis: 'tenantSlugs' } },
    { name: 'targeted, null partner fails partnerSlugs', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { partnerSlugs: ['nordic-it'], environments: ['staging'] } }, c: ctx({ partnerSlug: null }), expected: { value: false, reason: 'scope-mismatch', axis: 'partnerSlugs' } },
    { name: 'targeted, environments fail', flag: { key: 'x_1', state: 'targeted', pct: 0, scope: { plans: ['business'], environments: ['staging'] } }, c: base, expected: { value: false, reason: 'scope-mismatch', axis: 'environments' } },
    { name: 'rollout, scope mismatch (no bucket reported)', flag: { key: 'x_1', state: 'rollout', pct: 100, scope: { environments: ['staging'] } }, c: t7, expected: { value: false, reason: 'scope-mismatch', axis: 'environments' } },
    { name: 'rollout, inside', flag: { key: 'x_1', state: 'rollout', pct: 8 }, c: t7, expected: { value: true, reason: 'inside-rollout', bucket: 7, pct: 8 } },
    { name: 'rollout, outside (bucket == pct)', flag: { key: 'x_1', state: 'rollout', pct: 7 }, c: t7, expected: { value: false, reason: 'outside-rollout', bucket: 7, pct: 7 } },
    { name: 'rollout, pct 0', flag: { key: 'x_1', state: 'rollout', pct: 0, scope: {} }, c: t7, expected: { value: false, reason: 'outside-rollout', bucket: 7, pct: 0 } },
    { name: 'rollout, pct 100 with matching scope', flag: { key: 'x_1', state: 'rollout', pct: 100, scope: { plans: ['business'] } }, c: t7, expected: { value: true, reason: 'inside-rollout', bucket: 7, pct: 100 } },
  ])('$name', ({ flag, c, expected }) => {
    expect(explain(flag, c)).toStrictEqual(expected);
    expect(evaluateFlag(flag, c)).toBe(expected.value);
  });
});

describe('evaluateAll', () => {
  it('returns one entry per flag key', () => {
    const flags: FlagDefinition[] = [
      { key: 'a', state: 'on', pct: 0 },
      { key: 'b', state: 'off', pct: 100 },
      { key: 'c', state: 'targeted', pct: 0, scope: { plans: ['business'] } },
      { key: 'd', state: 'targeted', pct: 0, scope: { plans: ['starter'] } },
    ];
    const expected = { a: true, b: false, c: true, d: false };
    expect(evaluateAll(flags, base)).toStrictEqual(expected);
    expect(evaluateAllCompiled(compileFlags(flags), base)).toStrictEqual(expected);
  });

  it('returns an empty record for no flags', () => {
    expect(evaluateAll([], base)).toStrictEqual({});
    expect(evaluateAllCompiled(compileFlags([]), base)).toStrictEqual({});
  });

  it('lets the later of two flags with the same key win', () => {
    const flags: FlagDefinition[] = [
      { key: 'dup', state: 'on', pct: 0 },
      { key: 'dup', state: 'off', pct: 0 },
    ];
    expect(evaluateAll(flags, base)).toStrictEqual({ dup: false });
    expect(evaluateAllCompiled(compileFlags(flags), base)).toStrictEqual({ dup: false });
  });

  it('stores a flag keyed "__proto__" as an own property without touching the prototype', () => {
    const flags: FlagDefinition[] = [
      { key: '__proto__', state: 'on', pct: 0 },
      { key: 'constructor', state: 'off', pct: 0 },
    ];
    for (const out of [evaluateAll(flags, base), evaluateAllCompiled(compileFlags(flags), base)]) {
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(true);
      expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
      expect(out['constructor']).toBe(false);
      expect(JSON.parse(JSON.stringify(out))).toStrictEqual(JSON.parse('{"__proto__":true,"constructor":false}'));
    }
  });

  it('compileFlags snapshots its input', () => {
    const flag: FlagDefinition = { key: 'k', state: 'targeted', pct: 0, scope: { plans: ['business'] } };
    const compiled = compileFlags([flag]);
    expect(compiled.size).toBe(1);
    flag.state = 'off';
    flag.scope!.plans!.length = 0;
    expect(evaluateAllCompiled(compiled, base)).toStrictEqual({ k: true });
    expect(evaluateAll([flag], base)).toStrictEqual({ k: false });
  });
});

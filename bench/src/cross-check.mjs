// Cross-check every engine against @dezky/flags-core, tenant by tenant.
// Exact: every answer that does not depend on a rollout bucket (off/on/targeted flags, rollout
// flags whose scope excludes the tenant, rollout at pct 0 or 100). Those must be equal.
// Statistical: rollout flags with 0 < pct < 100 for eligible tenants. Each engine buckets its
// own way, so only the share that is ON is compared with pct.
import { evaluateAll, matchesScope } from '@dezky/flags-core';

/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */
/** @typedef {import('./engines.mjs').Engine} Engine */

/**
 * @typedef {object} Mismatch
 * @property {string} engine
 * @property {string} key
 * @property {string} state
 * @property {string} tenantSlug
 * @property {boolean} expected
 * @property {unknown} got
 */

/**
 * @typedef {object} RolloutShare
 * @property {number} flags rollout flags with 0 < pct < 100
 * @property {number} eligible (tenant, flag) pairs whose scope matches
 * @property {number} on of those, ON
 * @property {number} expectedOn sum of pct / 100 over the eligible pairs
 * @property {number} share on / eligible
 * @property {number} expectedShare expectedOn / eligible
 * @property {number} maxDeviationPp the largest |share - pct| of one flag with at least `minEligible` eligible tenants, in percentage points
 * @property {number} minEligible
 * @property {number} flagsBeyond4Sigma flags whose share is more than 4 binomial sigmas from pct
 */

/**
 * @typedef {object} CrossCheckResult
 * @property {number} exactChecks answers compared exactly, per engine
 * @property {Record<string, number>} mismatchCount per engine id
 * @property {Mismatch[]} mismatches the first few
 * @property {Record<string, RolloutShare>} rollout per engine id
 * @property {Array<{ key: string, pct: number, eligible: number, on: Record<string, number> }>} rolloutFlags
 */

/**
 * @param {readonly FlagDefinition[]} flags
 * @param {readonly EvaluationContext[]} tenants
 * @param {readonly Engine[]} engines
 * @param {ReadonlyArray<readonly unknown[]>} natives per engine, its context for each tenant
 * @param {{ maxMismatches?: number, minEligible?: number }} [options]
 * @returns {CrossCheckResult}
 */
export function crossCheck(flags, tenants, engines, natives, options = {}) {
  const maxMismatches = options.maxMismatches ?? 20;
  const minEligible = options.minEligible ?? 500;
  const statistical = flags
    .map((flag, index) => ({ flag, index }))
    .filter(({ flag }) => flag.state === 'rollout' && flag.pct > 0 && flag.pct < 100);
  const eligibleCount = new Array(statistical.length).fill(0);
  /** @type {number[][]} per engine, per statistical flag: ON count */
  const onCount = engines.map(() => new Array(statistical.length).fill(0));
  /** @type {Record<string, number>} */
  const mismatchCount = Object.fromEntries(engines.map((e) => [e.id, 0]));
  /** @type {Mismatch[]} */
  const mismatches = [];
  let exactChecks = 0;

  const onCountOf = (/** @type {number} */ e) => /** @type {number[]} */ (onCount[e]);
  for (let t = 0; t < tenants.length; t++) {
    const ctx = /** @type {EvaluationContext} */ (tenants[t]);
    const expected = evaluateAll(flags, ctx);
    // Which statistical flags this tenant is eligible for (scope matches).
    const eligible = statistical.map(({ flag }) => matchesScope(flag.scope, ctx));
    eligible.forEach((e, s) => {
      if (e) eligibleCount[s]++;
    });
    for (let e = 0; e < engines.length; e++) {
      const engine = /** @type {Engine} */ (engines[e]);
      const on = onCountOf(e);
      const got = engine.toRecord(engine.evaluateAll(/** @type {readonly unknown[]} */ (natives[e])[t]));
      let s = 0;
      for (let i = 0; i < flags.length; i++) {
        const flag = /** @type {FlagDefinition} */ (flags[i]);
        const value = got[flag.key];
        const isStatistical = s < statistical.length && /** @type {{ index: number }} */ (statistical[s]).index === i;
        if (isStatistical && eligible[s]) {
          if (value === true) on[s] = (on[s] ?? 0) + 1;
          else if (value !== false) record(engine, flag, ctx, false, value);
          s++;
          continue;
        }
        if (isStatistical) s++;
        exactChecks += e === 0 ? 1 : 0;
        if (value !== expected[flag.key]) record(engine, flag, ctx, /** @type {boolean} */ (expected[flag.key]), value);
      }
    }
  }

  /**
   * @param {Engine} engine
   * @param {FlagDefinition} flag
   * @param {EvaluationContext} ctx
   * @param {boolean} expectedValue
   * @param {unknown} got
   */
  function record(engine, flag, ctx, expectedValue, got) {
    mismatchCount[engine.id] = (mismatchCount[engine.id] ?? 0) + 1;
    if (mismatches.length < maxMismatches) {
      mismatches.push({ engine: engine.id, key: flag.key, state: flag.state, tenantSlug: ctx.tenantSlug, expected: expectedValue, got });
    }
  }

  /** @type {Record<string, RolloutShare>} */
  const rollout = {};
  engines.forEach((engine, e) => {
    let eligibleTotal = 0;
    let on = 0;
    let expectedOn = 0;
    let maxDeviationPp = 0;
    let flagsBeyond4Sigma = 0;
    statistical.forEach(({ flag }, s) => {
      const n = eligibleCount[s];
      const k = /** @type {number[]} */ (onCount[e])[s] ?? 0;
      const p = flag.pct / 100;
      eligibleTotal += n;
      on += k;
      expectedOn += n * p;
      if (n >= minEligible) maxDeviationPp = Math.max(maxDeviationPp, Math.abs(k / n - p) * 100);
      if (n > 0) {
        if (Math.abs(k - n * p) > 4 * Math.sqrt(n * p * (1 - p))) flagsBeyond4Sigma++;
      }
    });
    rollout[engine.id] = {
      flags: statistical.length,
      eligible: eligibleTotal,
      on,
      expectedOn,
      share: eligibleTotal > 0 ? on / eligibleTotal : 0,
      expectedShare: eligibleTotal > 0 ? expectedOn / eligibleTotal : 0,
      maxDeviationPp,
      minEligible,
      flagsBeyond4Sigma,
    };
  });

  const rolloutFlags = statistical.map(({ flag }, s) => ({
    key: flag.key,
    pct: flag.pct,
    eligible: eligibleCount[s],
    on: Object.fromEntries(engines.map((engine, e) => [engine.id, /** @type {number[]} */ (onCount[e])[s] ?? 0])),
  }));

  return { exactChecks, mismatchCount, mismatches, rollout, rolloutFlags };
}

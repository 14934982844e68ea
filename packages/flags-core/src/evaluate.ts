import { inRolloutBucket, rolloutBucket } from './bucket.js';
import { setResult } from './result.js';
import { firstFailingAxis, hasAnyScope, matchesScope } from './scope.js';
import type { RolloutBuckets } from './store.js';
import type { EvaluationContext, Explanation, FlagDefinition } from './types.js';

/**
 * Evaluate one flag for one context:
 * - `off` -> false; `on` -> true
 * - `targeted` -> hasAnyScope && matchesScope (an empty allowlist means nobody)
 * - `rollout` -> matchesScope && bucket < pct (an empty scope means everyone is eligible)
 * A state outside the four (bad data) fails closed: false.
 * With a store, rollout buckets are read from it (and kept in it); without one they are computed.
 */
export function evaluateFlag(flag: FlagDefinition, ctx: EvaluationContext, buckets?: RolloutBuckets): boolean {
  switch (flag.state) {
    case 'off':
      return false;
    case 'on':
      return true;
    case 'targeted':
      return hasAnyScope(flag.scope) && matchesScope(flag.scope, ctx);
    case 'rollout':
      return matchesScope(flag.scope, ctx) && inRolloutBucket(ctx.tenantId, flag.key, flag.pct, buckets);
    default:
      return false;
  }
}

/**
 * Evaluate every flag for one context, keyed by flag key. If two flags share a key
 * the later one wins. The only allocation is the result object.
 */
export function evaluateAll(flags: readonly FlagDefinition[], ctx: EvaluationContext, buckets?: RolloutBuckets): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    setResult(out, flag.key, evaluateFlag(flag, ctx, buckets));
  }
  return out;
}

/**
 * Why `flag` evaluates the way it does for `ctx`. `explain(f, c).value === evaluateFlag(f, c)`
 * always (given the same store, or none). A state outside the four (bad data) is explained as
 * `off`, matching `evaluateFlag`.
 */
export function explain(flag: FlagDefinition, ctx: EvaluationContext, buckets?: RolloutBuckets): Explanation {
  switch (flag.state) {
    case 'on':
      return { value: true, reason: 'on' };
    case 'targeted': {
      if (!hasAnyScope(flag.scope)) return { value: false, reason: 'no-scope' };
      const axis = firstFailingAxis(flag.scope, ctx);
      if (axis !== null) return { value: false, reason: 'scope-mismatch', axis };
      return { value: true, reason: 'scope-match' };
    }
    case 'rollout': {
      const axis = firstFailingAxis(flag.scope, ctx);
      if (axis !== null) return { value: false, reason: 'scope-mismatch', axis };
      const bucket = buckets === undefined ? rolloutBucket(ctx.tenantId, flag.key) : buckets.bucket(ctx.tenantId, flag.key);
      const pct = flag.pct;
      const value = bucket < pct;
      return { value, reason: value ? 'inside-rollout' : 'outside-rollout', bucket, pct };
    }
    case 'off':
    default:
      return { value: false, reason: 'off' };
  }
}

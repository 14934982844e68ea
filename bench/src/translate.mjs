// Translate Dezky flags (and evaluation contexts) into each engine's own format, the way a
// team moving to that engine would write them by hand:
// - flagd: a flag configuration whose `targeting` is JsonLogic (`in` per scope axis, `fractional`
//   for a rollout, bucketed by flagd's default flagKey + targetingKey).
// - GrowthBook: feature definitions whose `rules` have a mongo-like `condition` (`$in` per
//   axis) and, for a rollout, `coverage` with `hashAttribute: 'tenantId'`.
// - Unleash: toggles whose strategies have `IN` constraints per axis; a rollout is a
//   `flexibleRollout` strategy with `stickiness: 'tenantId'`.
// Rules (packages/flags-core/EVALUATION.md): off -> false; on -> true; targeted -> a non-empty scope
// that matches; rollout -> a matching scope (empty = everyone) and the tenant's bucket < pct.
// Rollout bucketing is each engine's own (murmur3 in flagd/Unleash, FNV in GrowthBook), so
// which tenants are inside a rollout differs from ours; only the share should agree.

/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').FlagScope} FlagScope */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */
/** @typedef {import('@growthbook/growthbook').FeatureDefinition<boolean>} GrowthBookFeature */
/** @typedef {import('@growthbook/growthbook').UserContext} GrowthBookUserContext */
/** @typedef {import('unleash-client/lib/feature.js').FeatureInterface} UnleashToggle */
/** @typedef {import('unleash-client/lib/strategy/strategy.js').Constraint} UnleashConstraint */
/** @typedef {import('unleash-client').Context} UnleashContext */

/**
 * A flagd flag (https://flagd.dev/reference/flag-definitions/). `targeting` is JsonLogic.
 * @typedef {{
 *   state: 'ENABLED' | 'DISABLED',
 *   variants: { on: true, off: false },
 *   defaultVariant: 'on' | 'off',
 *   targeting?: Record<string, unknown>,
 * }} FlagdFlag
 */
/** @typedef {{ flags: Record<string, FlagdFlag> }} FlagdConfig */

/**
 * Scope axis -> the context attribute it is matched against, in every engine's context.
 * @type {ReadonlyArray<readonly [keyof FlagScope, 'plan' | 'tenantSlug' | 'partnerSlug' | 'environment']>}
 */
export const AXIS_ATTRIBUTES = [
  ['plans', 'plan'],
  ['tenantSlugs', 'tenantSlug'],
  ['partnerSlugs', 'partnerSlug'],
  ['environments', 'environment'],
];

/**
 * The non-empty axes of a scope as [attribute, allowlist] pairs (empty axes are ignored).
 * @param {FlagScope | undefined} scope
 * @returns {Array<[string, string[]]>}
 */
export function scopeClauses(scope) {
  /** @type {Array<[string, string[]]>} */
  const clauses = [];
  if (!scope) return clauses;
  for (const [axis, attribute] of AXIS_ATTRIBUTES) {
    const values = scope[axis];
    if (values && values.length > 0) clauses.push([attribute, [...values]]);
  }
  return clauses;
}

/** @param {readonly FlagDefinition[]} flags */
function assertUniqueKeys(flags) {
  const seen = new Set();
  for (const f of flags) {
    if (seen.has(f.key)) throw new Error(`duplicate flag key ${f.key}: the translators need unique keys`);
    seen.add(f.key);
  }
}

/**
 * The pct clamped to 0..100 as an integer (the rules say integer 0..100; stay safe on bad data).
 * @param {number} pct
 */
function clampPct(pct) {
  if (!(pct > 0)) return 0;
  if (pct >= 100) return 100;
  return Math.round(pct);
}

// ---------------------------------------------------------------- flagd

/**
 * Dezky flags -> one flagd flag configuration.
 * - off: DISABLED (flagd then answers the caller's default, false; `resolveAll` omits it)
 * - on: ENABLED, defaultVariant on, no targeting
 * - targeted: defaultVariant off; targeting `{"if": [{"and": [{"in": [{"var": attr}, [..]]}, ..]}, "on", "off"]}`;
 *   an empty scope reaches nobody, so no targeting at all
 * - rollout: defaultVariant off; targeting `fractional` [["on", pct], ["off", 100 - pct]],
 *   wrapped in the same `if` when the scope is not empty
 * @param {readonly FlagDefinition[]} flags
 * @returns {FlagdConfig}
 */
export function toFlagdConfig(flags) {
  assertUniqueKeys(flags);
  /** @type {Record<string, FlagdFlag>} */
  const out = {};
  for (const flag of flags) {
    /** @type {FlagdFlag} */
    const f = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
    const clauses = scopeClauses(flag.scope);
    const match =
      clauses.length === 1
        ? flagdIn(/** @type {[string, string[]]} */ (clauses[0]))
        : { and: clauses.map(flagdIn) };
    switch (flag.state) {
      case 'on':
        f.defaultVariant = 'on';
        break;
      case 'targeted':
        if (clauses.length > 0) f.targeting = { if: [match, 'on', 'off'] };
        break;
      case 'rollout': {
        const pct = clampPct(flag.pct);
        const fractional = { fractional: [['on', pct], ['off', 100 - pct]] };
        f.targeting = clauses.length > 0 ? { if: [match, fractional, 'off'] } : fractional;
        break;
      }
      default: // off, and anything unknown (fails closed)
        f.state = 'DISABLED';
    }
    out[flag.key] = f;
  }
  return { flags: out };
}

/** @param {[string, string[]]} clause */
function flagdIn([attribute, values]) {
  return { in: [{ var: attribute }, values] };
}

/**
 * The flagd evaluation context: the attributes by name, and the tenant id as the
 * `targetingKey` that `fractional` buckets by (with the flag key, flagd's default).
 * @param {EvaluationContext} ctx
 */
export function toFlagdContext(ctx) {
  return {
    targetingKey: ctx.tenantId,
    tenantSlug: ctx.tenantSlug,
    plan: ctx.plan,
    partnerSlug: ctx.partnerSlug,
    environment: ctx.environment,
  };
}

// ---------------------------------------------------------------- GrowthBook

/**
 * Dezky flags -> GrowthBook feature definitions (the `features` of an SDK payload).
 * - off: `{ defaultValue: false }`; on: `{ defaultValue: true }`
 * - targeted: a force rule `{ condition: { attr: { $in: [..] }, .. }, force: true }`
 *   (an empty scope reaches nobody: no rule)
 * - rollout: a force rule with the scope's condition (none if empty) and
 *   `coverage: pct / 100, hashAttribute: 'tenantId', hashVersion: 2, seed: key`
 * @param {readonly FlagDefinition[]} flags
 * @returns {Record<string, GrowthBookFeature>}
 */
export function toGrowthBookFeatures(flags) {
  assertUniqueKeys(flags);
  /** @type {Record<string, GrowthBookFeature>} */
  const out = {};
  for (const flag of flags) {
    const clauses = scopeClauses(flag.scope);
    /** @type {Record<string, { $in: string[] }>} */
    const condition = {};
    for (const [attribute, values] of clauses) condition[attribute] = { $in: values };
    /** @type {GrowthBookFeature} */
    const feature = { defaultValue: false };
    switch (flag.state) {
      case 'on':
        feature.defaultValue = true;
        break;
      case 'targeted':
        if (clauses.length > 0) feature.rules = [{ id: `${flag.key}:scope`, condition, force: true }];
        break;
      case 'rollout':
        feature.rules = [
          {
            id: `${flag.key}:rollout`,
            ...(clauses.length > 0 ? { condition } : {}),
            force: true,
            coverage: clampPct(flag.pct) / 100,
            hashAttribute: 'tenantId',
            hashVersion: 2,
            seed: flag.key,
          },
        ];
        break;
      default:
        break; // off, and anything unknown: defaultValue false
    }
    out[flag.key] = feature;
  }
  return out;
}

/**
 * The GrowthBook user context (multi-user `GrowthBookClient` style): attributes by name.
 * @param {EvaluationContext} ctx
 * @returns {GrowthBookUserContext}
 */
export function toGrowthBookUserContext(ctx) {
  return {
    attributes: {
      tenantId: ctx.tenantId,
      tenantSlug: ctx.tenantSlug,
      plan: ctx.plan,
      partnerSlug: ctx.partnerSlug,
      environment: ctx.environment,
    },
  };
}

// ---------------------------------------------------------------- Unleash

const IN = /** @type {UnleashConstraint['operator']} */ (/** @type {unknown} */ ('IN'));

/**
 * Dezky flags -> Unleash client toggles (the `features` of /api/client/features).
 * - off: `enabled: false`
 * - on: `enabled: true` with the `default` strategy
 * - targeted: `enabled: true` with the `default` strategy constrained by one `IN` constraint per
 *   non-empty axis (an empty scope reaches nobody: `enabled: false`)
 * - rollout: `enabled: true` with `flexibleRollout` { rollout: pct, stickiness: 'tenantId',
 *   groupId: key } and the same constraints
 * @param {readonly FlagDefinition[]} flags
 * @returns {UnleashToggle[]}
 */
export function toUnleashToggles(flags) {
  assertUniqueKeys(flags);
  return flags.map((flag) => {
    /** @type {UnleashConstraint[]} */
    const constraints = scopeClauses(flag.scope).map(([contextName, values]) => ({
      contextName,
      operator: IN,
      values,
      inverted: false,
      caseInsensitive: false,
    }));
    /** @type {UnleashToggle} */
    const toggle = { name: flag.key, type: 'release', project: 'default', enabled: false, strategies: [] };
    switch (flag.state) {
      case 'on':
        toggle.enabled = true;
        toggle.strategies = [{ name: 'default', parameters: {}, constraints: [] }];
        break;
      case 'targeted':
        if (constraints.length > 0) {
          toggle.enabled = true;
          toggle.strategies = [{ name: 'default', parameters: {}, constraints }];
        }
        break;
      case 'rollout':
        toggle.enabled = true;
        toggle.strategies = [
          {
            name: 'flexibleRollout',
            parameters: { rollout: String(clampPct(flag.pct)), stickiness: 'tenantId', groupId: flag.key },
            constraints,
          },
        ];
        break;
      default:
        break; // off, and anything unknown: disabled
    }
    return toggle;
  });
}

/**
 * The Unleash context: `environment` is a standard field; the others are custom
 * `properties` (a null partner is left out, so an `IN` on it never matches).
 * @param {EvaluationContext} ctx
 * @returns {UnleashContext}
 */
export function toUnleashContext(ctx) {
  /** @type {Record<string, string>} */
  const properties = { tenantId: ctx.tenantId, tenantSlug: ctx.tenantSlug, plan: ctx.plan };
  if (ctx.partnerSlug !== null) properties.partnerSlug = ctx.partnerSlug;
  return { environment: ctx.environment, properties };
}

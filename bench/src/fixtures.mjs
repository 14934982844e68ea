// Deterministic synthetic data for the benchmarks: tenants (evaluation contexts) and a
// realistic mix of flags. The same seed always gives the same data, in any process.

/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').FlagScope} FlagScope */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */

export const PLANS = /** @type {const} */ (['starter', 'business', 'enterprise']);
export const ENVIRONMENTS = /** @type {const} */ (['development', 'test', 'staging', 'production']);
export const PARTNERS = /** @type {const} */ ([
  'northwind', 'contoso', 'fabrikam', 'initech', 'globex', 'umbrella', 'hooli', 'vandelay', 'wonka', 'stark',
  'wayne', 'tyrell', 'cyberdyne', 'soylent', 'oscorp', 'aperture', 'massive', 'gringotts', 'duff', 'monarch',
]);
const SLUG_WORDS = [
  'acme', 'blue', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper',
  'kepler', 'lumen', 'maple', 'nova', 'orbit', 'pine', 'quartz', 'river', 'summit', 'tundra',
];
const FLAG_WORDS = [
  'billing', 'invoices', 'reports', 'sso', 'audit', 'exports', 'search', 'dashboard', 'api', 'webhooks',
  'calendar', 'chat', 'files', 'tasks', 'crm', 'payroll', 'analytics', 'ai', 'mobile', 'portal',
];

/**
 * mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)).
 * @param {number} seed
 * @returns {() => number}
 */
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @template T
 * @param {() => number} rng
 * @param {readonly T[]} items
 * @returns {T}
 */
function pick(rng, items) {
  return /** @type {T} */ (items[Math.floor(rng() * items.length)]);
}

/**
 * Pick one item by weight.
 * @template T
 * @param {() => number} rng
 * @param {ReadonlyArray<readonly [T, number]>} weighted
 * @returns {T}
 */
function pickWeighted(rng, weighted) {
  let total = 0;
  for (const [, w] of weighted) total += w;
  let r = rng() * total;
  for (const [item, w] of weighted) {
    r -= w;
    if (r < 0) return item;
  }
  return /** @type {readonly [T, number]} */ (weighted[weighted.length - 1])[0];
}

/**
 * `count` distinct items from `items` (count is clamped to the list length).
 * @template T
 * @param {() => number} rng
 * @param {readonly T[]} items
 * @param {number} count
 * @returns {T[]}
 */
function sample(rng, items, count) {
  const pool = items.slice();
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    const tmp = /** @type {T} */ (pool[i]);
    pool[i] = /** @type {T} */ (pool[j]);
    pool[j] = tmp;
  }
  return pool.slice(0, n);
}

/** @param {() => number} rng @param {number} lo @param {number} hi inclusive */
function intBetween(rng, lo, hi) {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** @param {() => number} rng @param {number} digits */
function hex(rng, digits) {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
}

/**
 * `count` tenants: 24-hex ObjectId-like ids (a plausible 2023-2025 timestamp, then 16 random
 * hex digits), unique slugs like `acme-123`, plans weighted towards starter, ~30% without a
 * partner (null), environments weighted towards production.
 * @param {number} count
 * @param {number} [seed]
 * @returns {EvaluationContext[]}
 */
export function makeTenants(count, seed = 0x7e4a47) {
  const rng = makeRng(seed);
  /** @type {EvaluationContext[]} */
  const tenants = [];
  const start = 1_672_531_200; // 2023-01-01
  const span = 3 * 365 * 24 * 3600;
  for (let i = 0; i < count; i++) {
    const seconds = start + Math.floor(rng() * span);
    tenants.push({
      tenantId: seconds.toString(16).padStart(8, '0') + hex(rng, 16),
      tenantSlug: `${pick(rng, SLUG_WORDS)}-${i}`,
      plan: pickWeighted(rng, [['starter', 50], ['business', 35], ['enterprise', 15]]),
      partnerSlug: rng() < 0.3 ? null : pick(rng, PARTNERS),
      environment: pickWeighted(rng, [['production', 55], ['staging', 20], ['test', 15], ['development', 10]]),
    });
  }
  return tenants;
}

/** @typedef {'plans' | 'tenantSlugs' | 'partnerSlugs' | 'environments'} Axis */

/**
 * A scope with the given axes filled in.
 * @param {() => number} rng
 * @param {readonly Axis[]} axes
 * @param {readonly EvaluationContext[]} tenants
 * @returns {FlagScope}
 */
function makeScope(rng, axes, tenants) {
  /** @type {FlagScope} */
  const scope = {};
  for (const axis of axes) {
    switch (axis) {
      case 'plans':
        scope.plans = sample(rng, PLANS, intBetween(rng, 1, 2));
        break;
      case 'partnerSlugs':
        scope.partnerSlugs = sample(rng, PARTNERS, intBetween(rng, 1, 4));
        break;
      case 'environments':
        scope.environments = sample(rng, ENVIRONMENTS, intBetween(rng, 1, 2));
        break;
      case 'tenantSlugs': {
        // An allowlist of specific tenants (pilot customers), plus the odd slug of a tenant
        // that no longer exists.
        const slugs = sample(rng, tenants, intBetween(rng, 1, 25)).map((t) => t.tenantSlug);
        if (rng() < 0.3) slugs.push(`gone-${intBetween(rng, 100000, 999999)}`);
        scope.tenantSlugs = slugs;
        break;
      }
    }
  }
  return scope;
}

/**
 * `count` flags, a realistic mix: ~20% off, ~20% on, ~30% targeted, ~30% rollout.
 * Targeted flags use one to three of the four scope axes (a few have an empty scope, which
 * reaches nobody); rollout flags are half unscoped, half scoped by plan/environment/partner,
 * with percentages from 0 to 100 (mostly 5..75). Keys are unique.
 * @param {number} count
 * @param {readonly EvaluationContext[]} tenants slugs for `tenantSlugs` allowlists are drawn from these
 * @param {number} [seed]
 * @returns {FlagDefinition[]}
 */
export function makeFlags(count, tenants, seed = 0xf1a65) {
  const rng = makeRng(seed);
  /** @type {FlagDefinition[]} */
  const flags = [];
  for (let i = 0; i < count; i++) {
    const key = `${pick(rng, FLAG_WORDS)}.${pick(rng, FLAG_WORDS)}-${String(i).padStart(3, '0')}`;
    /** @type {FlagDefinition['state']} */
    const state = pickWeighted(rng, [['off', 20], ['on', 20], ['targeted', 30], ['rollout', 30]]);
    /** @type {FlagDefinition} */
    const flag = { key, state, pct: 0 };
    if (state === 'targeted') {
      if (rng() < 0.04) {
        flag.scope = {}; // edge case: an empty allowlist means nobody
      } else {
        /** @type {Axis[]} */
        let axes = [];
        if (rng() < 0.5) axes.push('plans');
        if (rng() < 0.35) axes.push('partnerSlugs');
        if (rng() < 0.3) axes.push('tenantSlugs');
        if (rng() < 0.4) axes.push('environments');
        if (axes.length === 0) axes = [pick(rng, /** @type {Axis[]} */ (['plans', 'partnerSlugs', 'tenantSlugs', 'environments']))];
        flag.scope = makeScope(rng, axes, tenants);
      }
    } else if (state === 'rollout') {
      flag.pct = pickWeighted(rng, [
        [0, 3], [1, 4], [5, 10], [10, 12], [20, 10], [25, 12], [33, 6], [50, 15], [75, 10], [90, 6], [100, 4],
      ]);
      if (rng() < 0.5) {
        flag.scope = {};
      } else {
        /** @type {Axis[]} */
        const axes = [];
        if (rng() < 0.6) axes.push('plans');
        if (rng() < 0.4) axes.push('environments');
        if (rng() < 0.2) axes.push('partnerSlugs');
        if (axes.length === 0) axes.push('environments');
        flag.scope = makeScope(rng, axes, tenants);
      }
    } else if (rng() < 0.3) {
      // on/off flags sometimes keep a scope from an earlier targeted phase; it is ignored.
      flag.scope = makeScope(rng, ['plans'], tenants);
    }
    flags.push(flag);
  }
  return flags;
}

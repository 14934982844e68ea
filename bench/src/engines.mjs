// One adapter per engine: how it is set up from our flags, what its per-tenant context looks
// like (built once, before timing, for every engine alike) and its "evaluate every flag for
// one tenant" call, which is what the benchmark times.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFlags, evaluateAll, evaluateAllCompiled, RolloutBuckets } from '@dezky/flags-core';
import { FlagdCore } from '@openfeature/flagd-core';
import { GrowthBookClient } from '@growthbook/growthbook';
import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import {
  toFlagdConfig,
  toFlagdContext,
  toGrowthBookFeatures,
  toGrowthBookUserContext,
  toUnleashContext,
  toUnleashToggles,
} from './translate.mjs';

/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */

/**
 * @typedef {object} Engine
 * @property {string} id short id, used in the JSON output
 * @property {string} name as printed in the table
 * @property {string} version package version
 * @property {boolean} ours
 * @property {string} how one line: what is timed
 * @property {(ctx: EvaluationContext) => unknown} context the engine's native context for a tenant (built before timing)
 * @property {(native: any) => unknown} evaluateAll every flag for one tenant (timed)
 * @property {(result: any) => Record<string, boolean>} toRecord result -> key: boolean (for the cross-check, untimed)
 * @property {() => void} close
 * @property {() => Engine} [fresh] ours only: a new instance with an empty bucket store (a "cold" start)
 */

const require = createRequire(import.meta.url);

/**
 * A dependency's version, read from the nearest package.json above its resolved entry point
 * (some packages do not export ./package.json).
 * @param {string} name
 */
export function packageVersion(name) {
  try {
    let dir = dirname(require.resolve(name));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = /** @type {{ name?: string, version?: string }} */ (JSON.parse(readFileSync(file, 'utf8')));
        if (pkg.name === name) return pkg.version ?? 'unknown';
      }
      const parent = dirname(dir);
      if (parent === dir) return 'unknown';
      dir = parent;
    }
  } catch {
    return 'unknown';
  }
}

/** @param {Record<string, boolean>} r */
const asRecord = (r) => r;
const noop = () => {};

/**
 * Ours, as the API runs it: the engine owns a bucket store (`RolloutBuckets`) and every tenant
 * gets a slot in it when its context is built (before timing). Buckets are computed into the
 * store the first time a tenant meets a rollout flag, so a fresh engine is a cold start.
 * @param {readonly FlagDefinition[]} flags
 * @returns {Engine}
 */
export function oursEngine(flags) {
  const buckets = new RolloutBuckets();
  return {
    id: 'dezky',
    name: 'dezky evaluateAll',
    version: packageVersion('@dezky/flags-core'),
    ours: true,
    how: 'evaluateAll(flags, ctx, buckets)',
    context: (ctx) => {
      buckets.addTenant(ctx.tenantId);
      return ctx;
    },
    evaluateAll: (ctx) => evaluateAll(flags, ctx, buckets),
    toRecord: asRecord,
    close: noop,
    fresh: () => oursEngine(flags),
  };
}

/**
 * Ours, compiled, with its own bucket store as in `oursEngine`.
 * @param {readonly FlagDefinition[]} flags
 * @returns {Engine}
 */
export function oursCompiledEngine(flags) {
  const compiled = compileFlags(flags);
  const buckets = new RolloutBuckets();
  return {
    id: 'dezky-compiled',
    name: 'dezky evaluateAllCompiled',
    version: packageVersion('@dezky/flags-core'),
    ours: true,
    how: 'evaluateAllCompiled(compileFlags(flags), ctx, buckets)',
    context: (ctx) => {
      buckets.addTenant(ctx.tenantId);
      return ctx;
    },
    evaluateAll: (ctx) => evaluateAllCompiled(compiled, ctx, buckets),
    toRecord: asRecord,
    close: noop,
    fresh: () => oursCompiledEngine(flags),
  };
}

/**
 * flagd's in-process evaluator: one `FlagdCore` loaded with the translated configuration;
 * evaluate-all is its own `resolveAll(ctx)` (one resolution per ENABLED flag; DISABLED flags
 * are left out, i.e. the caller's default, false).
 * @param {readonly FlagDefinition[]} flags
 * @returns {Engine}
 */
export function flagdEngine(flags) {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(toFlagdConfig(flags)));
  const keys = flags.map((f) => f.key);
  return {
    id: 'flagd',
    name: 'flagd-core resolveAll',
    version: packageVersion('@openfeature/flagd-core'),
    ours: false,
    how: 'new FlagdCore(); setConfigurations(json); resolveAll(ctx)',
    context: toFlagdContext,
    evaluateAll: (ctx) => core.resolveAll(ctx),
    toRecord: (/** @type {Array<{ flagKey: string, value: unknown }>} */ details) => {
      /** @type {Record<string, boolean>} */
      const out = {};
      for (const key of keys) out[key] = false; // left out = DISABLED = the default
      for (const d of details) {
        if (typeof d.value !== 'boolean') throw new Error(`flagd: ${d.flagKey} resolved to ${String(d.value)}`);
        out[d.flagKey] = d.value;
      }
      return out;
    },
    close: noop,
  };
}

/**
 * GrowthBook's multi-user server SDK: one `GrowthBookClient` (`initSync` with the payload, no
 * clientKey, so no fetching, polling or streaming) and `isOn(key, userContext)` per flag.
 * @param {readonly FlagDefinition[]} flags
 * @returns {Engine}
 */
export function growthbookEngine(flags) {
  const gb = new GrowthBookClient({});
  gb.initSync({ payload: { features: toGrowthBookFeatures(flags) } });
  const keys = flags.map((f) => f.key);
  return {
    id: 'growthbook',
    name: 'growthbook isOn x N',
    version: packageVersion('@growthbook/growthbook'),
    ours: false,
    how: 'GrowthBookClient.initSync({payload}); isOn(key, userContext) per flag',
    context: toGrowthBookUserContext,
    evaluateAll: (uc) => {
      /** @type {Record<string, boolean>} */
      const out = {};
      for (let i = 0; i < keys.length; i++) {
        const key = /** @type {string} */ (keys[i]);
        out[key] = gb.isOn(key, uc);
      }
      return out;
    },
    toRecord: asRecord,
    close: () => gb.destroy(),
  };
}

/**
 * Unleash's Node SDK, offline: bootstrapped from the translated toggles, in-memory storage,
 * `refreshInterval: 0` (its poller then never fetches) and `disableMetrics: true` (nothing is
 * registered or sent). The URL is a loopback one that is never contacted. `isEnabled(key, ctx)`
 * per flag (the SDK has no evaluate-all).
 * @param {readonly FlagDefinition[]} flags
 * @returns {Promise<Engine>}
 */
export async function unleashEngine(flags) {
  const unleash = new Unleash({
    appName: 'dezky-bench',
    url: 'http://127.0.0.1:9/never-contacted/api/',
    refreshInterval: 0,
    disableMetrics: true,
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: toUnleashToggles(flags) },
  });
  /** @type {unknown[]} */
  const problems = [];
  unleash.on(UnleashEvents.Error, (e) => problems.push(e));
  // e.g. "Unleash has not been initialized yet. isEnabled(..) defaulted to false"
  unleash.on(UnleashEvents.Warn, (w) => problems.push(w));
  // `ready` (what isEnabled checks) is set a tick after the bootstrap is applied.
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('unleash: the bootstrap did not make the client ready')), 5000);
    unleash.once(UnleashEvents.Ready, () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  await unleash.start();
  await ready;
  const assertNoProblems = () => {
    if (problems.length > 0) throw new Error(`unleash: ${problems.map(String).join('; ')}`);
  };
  assertNoProblems();
  const keys = flags.map((f) => f.key);
  return {
    id: 'unleash',
    name: 'unleash isEnabled x N',
    version: packageVersion('unleash-client'),
    ours: false,
    how: 'new Unleash({bootstrap, refreshInterval: 0, disableMetrics}); isEnabled(key, ctx) per flag',
    context: toUnleashContext,
    evaluateAll: (ctx) => {
      /** @type {Record<string, boolean>} */
      const out = {};
      for (let i = 0; i < keys.length; i++) {
        const key = /** @type {string} */ (keys[i]);
        out[key] = unleash.isEnabled(key, ctx);
      }
      return out;
    },
    toRecord: (/** @type {Record<string, boolean>} */ r) => {
      assertNoProblems();
      return r;
    },
    close: () => unleash.destroy(),
  };
}

/**
 * Every engine, ours first.
 * @param {readonly FlagDefinition[]} flags
 * @returns {Promise<Engine[]>}
 */
export async function createEngines(flags) {
  return [
    oursEngine(flags),
    oursCompiledEngine(flags),
    flagdEngine(flags),
    growthbookEngine(flags),
    await unleashEngine(flags),
  ];
}

// Benchmark 5: applying one change to the API's evaluation snapshot at 100,000 tenants.
//
// The API's own FlagsSnapshot (services/platform-api/dist), in this process, fed by in-memory
// stand-ins of its repositories that answer at once: what is timed is the snapshot's own work
// to apply a change (CPU), not MongoDB's. 100,000 fixture tenants and 100 fixture flags (a
// quarter of them rollouts). Measured per change kind, one change at a time:
//   tenant: a tenant's plan or partner changed (what another process applies from the log);
//   membership: a member added to a tenant;
//   flag: one flag changed (the flag set is recompiled).
// Each sample is the thread CPU time (process.cpuUsage) of one applyChanges() call. After
// every tenant sample the new context is checked. Target: a tenant change < 5 ms of CPU.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFlags, makeTenants } from './fixtures.mjs';
import { apiFlagKey } from './seed.mjs';
import { numbersFromEnv, runFacts, writeResults } from './run-report.mjs';
import { REPO_ROOT } from './stack.mjs';
import { fmtInt, fmtNum, median, quantile, table } from './stats.mjs';

const API_DIR = path.join(REPO_ROOT, 'services/platform-api');

/**
 * @typedef {object} Options
 * @property {number} tenants
 * @property {number} flags
 * @property {number} samples tenant and membership changes measured
 * @property {number} flagSamples flag changes measured
 * @property {number} tenantTargetMs
 * @property {string | null} output
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 100_000,
  flags: 100,
  samples: 1000,
  flagSamples: 100,
  tenantTargetMs: 5,
  output: fileURLToPath(new URL('../results/snapshot.json', import.meta.url)),
};

/** Options from the environment (BENCH_SNAPSHOT_TENANTS, BENCH_SNAPSHOT_SAMPLES). */
export function optionsFromEnv(env = process.env) {
  return /** @type {Partial<Options>} */ (numbersFromEnv(env, { BENCH_SNAPSHOT_TENANTS: 'tenants', BENCH_SNAPSHOT_SAMPLES: 'samples' }));
}

/** CPU ms of one awaited call. @param {() => Promise<unknown>} fn */
async function cpuMs(fn) {
  const before = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

/** @param {number[]} ms */
const summarize = (ms) => ({ samples: ms.length, medianMs: median(ms), p99Ms: quantile(ms, 0.99), maxMs: Math.max(...ms) });

/** @param {Partial<Options>} [overrides] */
export async function main(overrides = {}) {
  const options = { ...DEFAULTS, ...optionsFromEnv(), ...overrides };
  const log = (/** @type {string} */ line) => console.log(line);
  const started = Date.now();
  log(`\n== snapshot: one change applied at ${fmtInt(options.tenants)} tenants, ${options.flags} flags ==`);
  const require = createRequire(path.join(API_DIR, 'package.json'));
  require('reflect-metadata');
  const entry = path.join(API_DIR, 'dist/modules/flags/flags-snapshot.js');
  /** @type {{ FlagsSnapshot: any }} */
  const { FlagsSnapshot } = require(entry);

  const fixtures = makeTenants(options.tenants);
  /** @type {Map<string, { id: string, slug: string, plan: string, partnerSlug: string | null }>} */
  const tenants = new Map(fixtures.map((t) => [t.tenantId, { id: t.tenantId, slug: t.tenantSlug, plan: t.plan, partnerSlug: t.partnerSlug }]));
  const now = new Date().toISOString();
  /** @type {Map<string, any>} */
  const flags = new Map(
    makeFlags(options.flags, fixtures).map((f, i) => {
      const key = apiFlagKey(f.key);
      const scope = { plans: f.scope?.plans ?? [], tenantSlugs: f.scope?.tenantSlugs ?? [], partnerSlugs: f.scope?.partnerSlugs ?? [], environments: f.scope?.environments ?? [] };
      return [key, { id: String(i), key, description: '', state: f.state, pct: f.pct, scope, version: 1, history: [], createdAt: now, updatedAt: now }];
    }),
  );
  /** @type {Set<string>} */
  const pairs = new Set();
  const repo = {
    all: async () => [...flags.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    findByKeys: async (/** @type {string[]} */ keys) => keys.flatMap((k) => (flags.has(k) ? [flags.get(k)] : [])),
  };
  const tenantsService = {
    evaluationAttributes: async (/** @type {string[] | undefined} */ ids) => (ids ? ids.flatMap((id) => (tenants.has(id) ? [tenants.get(id)] : [])) : [...tenants.values()]),
  };
  const memberships = {
    allPairs: async () => [],
    existingPairs: async (/** @type {{ userId: string, tenantId: string }[]} */ list) => list.filter((p) => pairs.has(`${p.userId}:${p.tenantId}`)),
  };
  const feed = { follow: () => undefined, behind: false };
  const snapshot = new FlagsSnapshot(repo, tenantsService, memberships, feed, { appEnv: 'production' });
  const buildMs = await cpuMs(() => snapshot.reload());
  const snap = await snapshot.get();
  log(`  full build: ${fmtNum(buildMs)} ms of CPU for ${fmtInt(snap.tenants.size)} tenants and ${snap.flags.length} flags`);

  let seq = 0;
  const plans = ['starter', 'business', 'enterprise'];
  /** @type {number[]} */
  const tenantMs = [];
  let wrong = 0;
  for (let i = 0; i < options.samples; i++) {
    const t = /** @type {import('@dezky/flags-core').EvaluationContext} */ (fixtures[(i * 7919) % fixtures.length]);
    const record = /** @type {{ id: string, slug: string, plan: string, partnerSlug: string | null }} */ (tenants.get(t.tenantId));
    record.plan = /** @type {string} */ (plans[(plans.indexOf(record.plan) + 1) % plans.length]);
    tenantMs.push(await cpuMs(() => snapshot.applyChanges([{ seq: ++seq, kind: 'tenant', ref: t.tenantId }])));
    if (snap.tenants.get(t.tenantSlug)?.plan !== record.plan) wrong++;
  }
  /** @type {number[]} */
  const membershipMs = [];
  for (let i = 0; i < options.samples; i++) {
    const t = /** @type {import('@dezky/flags-core').EvaluationContext} */ (fixtures[(i * 104729) % fixtures.length]);
    const userId = (i + 1).toString(16).padStart(24, '0');
    pairs.add(`${userId}:${t.tenantId}`);
    membershipMs.push(await cpuMs(() => snapshot.applyChanges([{ seq: ++seq, kind: 'membership', ref: `${userId}:${t.tenantId}` }])));
    if (!snap.members.get(t.tenantId)?.has(userId)) wrong++;
  }
  /** @type {number[]} */
  const flagMs = [];
  const keys = [...flags.keys()];
  for (let i = 0; i < options.flagSamples; i++) {
    const key = /** @type {string} */ (keys[i % keys.length]);
    const f = flags.get(key);
    flags.set(key, { ...f, description: `change ${i}`, version: f.version + 1 });
    flagMs.push(await cpuMs(() => snapshot.applyChanges([{ seq: ++seq, kind: 'flag', ref: key }])));
    if ((await snapshot.get()).flagsByKey.get(key)?.version !== f.version + 1) wrong++;
  }

  const results = { tenant: summarize(tenantMs), membership: summarize(membershipMs), flag: summarize(flagMs) };
  const met = results.tenant.p99Ms < options.tenantTargetMs;
  log(
    table(
      ['change', 'samples', 'median ms', 'p99 ms', 'max ms'],
      Object.entries(results).map(([kind, r]) => [kind, fmtInt(r.samples), fmtNum(r.medianMs, 3), fmtNum(r.p99Ms, 3), fmtNum(r.maxMs, 3)]),
    )
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  log(`  Target: a tenant change < ${options.tenantTargetMs} ms of CPU (p99): ${met ? 'MET' : 'NOT MET'}; ${wrong} applied changes not visible afterwards`);
  const json = { ...runFacts('snapshot'), options, buildMs, results, met, wrong, seconds: (Date.now() - started) / 1000 };
  writeResults(options.output, json, log);
  if (wrong > 0) throw new Error(`snapshot benchmark FAILED: ${wrong} changes were not applied`);
  return json;
}

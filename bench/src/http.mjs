// Benchmark 2: the API's evaluation endpoints over HTTP, against the ceiling (a bare node:http
// server doing the least such an endpoint can) and against GET /ping (authentication alone),
// under the same load, interleaved; with the API's memory.
//
// Stack (stack.mjs): mongo-wire + dev IdP + the built API (APP_ENV=production, --expose-gc).
// Data: the 20 fixture partners and 90 fixture flags through the API (so 100 flags with the 10
// seeded ones), 10,000 fixture tenants inserted in bulk, and Alice's own tenant created through
// the API with her portal token. Before any load, every tenant's POST /flags/evaluate and OFREP
// bulk answer is checked against @dezky/flags-core, and its ETag kept.
//
// Load: autocannon in a child process (load-worker.mjs), 50 connections, pipelining 1. Each
// round measures every endpoint once (ceiling x 3, ping, evaluate as operator and as portal
// member, OFREP bulk, OFREP bulk answered 304), in an order that changes from round to round.
// Figures are the median round; a ratio is the median of the per-round ratios. The API's RSS
// is sampled during its windows and read again after a forced GC. A second, shorter pass does
// the same at 100,000 tenants (the same API process, grown).
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAll } from '@dezky/flags-core';
import { API_NODE_ARGS } from '@dezky/test-stack';
import { packageVersion } from './engines.mjs';
import { makeFlags, makeTenants } from './fixtures.mjs';
import { mergeSummaries, summarizeProfile } from './cpu-profile.mjs';
import { MIB, formatHeapSpaces, formatVerdict, roundOrder, roundRatios, spreadPicks, summarizeRss, typicalSize, unexpectedResponses, verdict } from './http-summary.mjs';
import { networkVerdict, numbersFromEnv, runFacts, startRun, writeResults } from './run-report.mjs';
import { allowlistedSlugs, apiFlags, announceBulkLoad, createFlags, createPartners, insertTenants, waitForTenants } from './seed.mjs';
import { RATE_LIMIT_VARIABLES, expectStatus, forkTracked, machineBusyCpuMs, processCpuMs, processRssBytes, startStack } from './stack.mjs';
import { fmtInt, fmtNum, fmtRatio, median, table } from './stats.mjs';

/** @typedef {import('./load-worker.mjs').LoadOptions} LoadOptions */
/** @typedef {import('./load-worker.mjs').LoadResult} LoadResult */
/** @typedef {import('./stack.mjs').Stack} Stack */
/** @typedef {import('./stack.mjs').GcResult} GcResult */
/** @typedef {import('./ceiling-server.mjs').CeilingRoute} CeilingRoute */
/** @typedef {import('./http-summary.mjs').Verdict} Verdict */
/** @typedef {import('./http-summary.mjs').RssSummary} RssSummary */
/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */

/**
 * @typedef {object} Targets
 * @property {number} evaluatePing POST /flags/evaluate / GET /ping throughput, at least
 * @property {number} budgetsKept POST /flags/evaluate / the same on the API without request budgets, at least (what counting every request costs)
 * @property {number} metricsKept POST /flags/evaluate / the same on the API with METRICS_PORT=0, at least (what the metrics cost on the request path)
 * @property {number} evaluateCeiling evaluate / ceiling, at least
 * @property {number} ofrepCeiling OFREP bulk / ceiling, at least
 * @property {number} notModifiedCeiling OFREP bulk answered 304 / ceiling 304, at least
 * @property {number} evaluateP99Ms p99 of POST /flags/evaluate (median round), at most
 * @property {number} rssMiB the API's RSS under load at the first pass's tenants (10,000), at most
 * @property {number} largeRssMiB the same at the large pass's tenants (100,000), at most
 */

/**
 * @typedef {object} Options
 * @property {number} tenants bulk-inserted tenants of the first pass (Alice's own comes on top)
 * @property {number} extraFlags flags created through the API on top of the 10 seeded ones
 * @property {number} connections
 * @property {number} durationS per measured window
 * @property {number} rounds
 * @property {number} warmupS per endpoint, before the rounds
 * @property {number} pauseMs between windows
 * @property {number} checkTenants tenants whose answers are checked against flags-core (and whose ETags are fetched) before the first pass (0 = every tenant, which also warms the bucket memo)
 * @property {number} largeTenants the second pass grows the data set to this many fixture tenants (0, or not more than `tenants`: no second pass)
 * @property {number} largeRounds
 * @property {number} largeDurationS
 * @property {number} largeWarmupS
 * @property {number} largeCheckTenants tenants checked (and whose ETags are fetched) before the second pass, spread over all
 * @property {number} rssIntervalMs RSS sampling period during a window
 * @property {string[]} apiNodeArgs more options for the API's node (e.g. --max-semi-space-size=16), by default the flags the Dockerfile runs the API with
 * @property {'auto' | 'always' | 'never'} cpuProfile profile the API (extra windows after the first pass) when evaluate/ping misses its target, always, or never
 * @property {number} profileRounds profiled windows per endpoint
 * @property {Targets} targets
 * @property {number} maxOtherCpuPct a round during which other processes took more of the machine's CPU is repeated
 * @property {number} maxDiscarded at most this many rounds are repeated (first pass only)
 * @property {number} repeatBudgetS and only while the benchmark has run for less than this many seconds
 * @property {string | null} output JSON file, or null for none
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 10_000,
  extraFlags: 90,
  connections: 50,
  durationS: 3,
  rounds: 4,
  warmupS: 1,
  pauseMs: 300,
  checkTenants: 0,
  largeTenants: 100_000,
  largeRounds: 2,
  largeDurationS: 2,
  largeWarmupS: 1,
  largeCheckTenants: 2_000,
  rssIntervalMs: 200,
  // As the Dockerfile and `pnpm start` run it.
  apiNodeArgs: [...API_NODE_ARGS],
  cpuProfile: 'auto',
  profileRounds: 2,
  targets: { evaluatePing: 0.8, budgetsKept: 0.95, metricsKept: 0.97, evaluateCeiling: 0.35, ofrepCeiling: 0.35, notModifiedCeiling: 0.5, evaluateP99Ms: 13, rssMiB: 150, largeRssMiB: 400 },
  maxOtherCpuPct: 10,
  maxDiscarded: 1,
  repeatBudgetS: 120,
  output: fileURLToPath(new URL('../results/http.json', import.meta.url)),
};

/**
 * Options from the environment (BENCH_HTTP_TENANTS, BENCH_HTTP_DURATION, BENCH_CPU_PROF=auto|1|0, ...).
 * @param {NodeJS.ProcessEnv} [env]
 */
export function optionsFromEnv(env = process.env) {
  /** @type {Partial<Options>} */
  const o = numbersFromEnv(env, {
    BENCH_HTTP_TENANTS: 'tenants',
    BENCH_HTTP_CONNECTIONS: 'connections',
    BENCH_HTTP_DURATION: 'durationS',
    BENCH_HTTP_ROUNDS: 'rounds',
    BENCH_HTTP_WARMUP: 'warmupS',
    BENCH_HTTP_CHECK: 'checkTenants',
    BENCH_HTTP_LARGE_TENANTS: 'largeTenants',
    BENCH_HTTP_LARGE_ROUNDS: 'largeRounds',
    BENCH_HTTP_LARGE_DURATION: 'largeDurationS',
    BENCH_HTTP_LARGE_WARMUP: 'largeWarmupS',
    BENCH_HTTP_LARGE_CHECK: 'largeCheckTenants',
  });
  if (env.BENCH_HTTP_API_NODE_ARGS?.trim()) o.apiNodeArgs = env.BENCH_HTTP_API_NODE_ARGS.trim().split(/\s+/);
  if (env.BENCH_CPU_PROF) o.cpuProfile = env.BENCH_CPU_PROF === '1' ? 'always' : env.BENCH_CPU_PROF === '0' ? 'never' : 'auto';
  return o;
}

// ------------------------------------------------------------------ child processes

/**
 * @typedef {object} LoadWorker
 * @property {number} pid
 * @property {(options: LoadOptions) => Promise<LoadResult>} run
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<LoadWorker>} */
async function startLoadWorker() {
  const handle = forkTracked('load-worker', fileURLToPath(new URL('./load-worker.mjs', import.meta.url)));
  const child = handle.child;
  let nextId = 1;
  /** @type {Map<number, { resolve: (r: LoadResult) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the load worker did not start:\n${handle.tail()}`)), 30_000);
    child.on('message', (/** @type {{ type: string, id?: number, result?: LoadResult, message?: string }} */ msg) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(undefined);
        return;
      }
      const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
      if (!p) return;
      pending.delete(/** @type {number} */ (msg.id));
      if (msg.type === 'result' && msg.result) p.resolve(msg.result);
      else p.reject(new Error(`load worker: ${msg.message ?? 'failed'}`));
    });
  });
  child.once('exit', (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`the load worker exited (${code ?? signal}):\n${handle.tail()}`));
    pending.clear();
  });
  await ready;
  return {
    pid: handle.pid,
    run: (options) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ type: 'run', id, options });
      }),
    close: async () => {
      if (child.connected) child.send({ type: 'exit' });
      await handle.stop(5000);
    },
  };
}

/**
 * @typedef {object} Ceiling
 * @property {number} pid
 * @property {string} url
 * @property {CeilingRoute[]} routes
 * @property {() => Promise<void>} close
 */

/**
 * Starts the ceiling (ceiling-server.mjs) in a child process of its own, on a free port.
 * @param {CeilingRoute[]} routes
 * @returns {Promise<Ceiling>}
 */
async function startCeiling(routes) {
  const handle = forkTracked('ceiling', fileURLToPath(new URL('./ceiling-server.mjs', import.meta.url)));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ceiling did not start:\n${handle.tail()}`)), 30_000);
    handle.child.on('message', (/** @type {{ type: string, port?: number, message?: string }} */ msg) => {
      if (msg.type === 'ready') handle.child.send({ type: 'listen', routes });
      else if (msg.type === 'listening') {
        clearTimeout(timer);
        resolve(msg.port);
      } else if (msg.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`ceiling: ${msg.message}`));
      }
    });
    handle.child.once('exit', (code, signal) => reject(new Error(`the ceiling exited (${code ?? signal}):\n${handle.tail()}`)));
  });
  return {
    pid: handle.pid,
    url: `http://127.0.0.1:${port}`,
    routes,
    close: async () => {
      if (handle.child.connected) handle.child.send({ type: 'exit' });
      await handle.stop(5000);
    },
  };
}

// ------------------------------------------------------------------ setup

/**
 * @typedef {object} Seeded
 * @property {EvaluationContext[]} tenants every tenant the API knows, Alice's last
 * @property {string} aliceSlug
 * @property {FlagDefinition[]} flags as the API holds them (GET /flags)
 * @property {Record<string, number>} states flags per state
 * @property {Map<string, string>} partnerIds slug -> id
 * @property {number} setupMs
 * @property {number} visibleMs from the change-log entry until the API's snapshot held every tenant
 */

const ALICE_SLUG = 'alice-bench';
const EVALUATE = '/flags/evaluate';
const OFREP_BULK = '/ofrep/v1/evaluate/flags';

/**
 * @param {Stack} stack
 * @param {Options} options
 * @param {(line: string) => void} log
 * @returns {Promise<Seeded>}
 */
async function seed(stack, options, log) {
  const started = Date.now();
  const partnerIds = await createPartners(stack);
  const tenants = makeTenants(options.tenants);
  const fixtureFlags = makeFlags(options.extraFlags, tenants);
  // Tenants named in allowlists first (the API checks that scoped slugs exist), then the flags
  // (each write rebuilds the API's snapshot: cheaper while it is small), then the rest.
  const named = allowlistedSlugs(fixtureFlags);
  await insertTenants(stack, tenants.filter((t) => named.has(t.tenantSlug)), partnerIds);
  const flags = apiFlags(fixtureFlags, new Set(tenants.map((t) => t.tenantSlug)));
  await createFlags(stack, flags);
  await insertTenants(stack, tenants.filter((t) => !named.has(t.tenantSlug)), partnerIds);

  // Alice's own tenant, created by her through the API (she becomes its owner), then given a
  // partner by the operator, as in real life.
  const aliceTenant = expectStatus(
    await stack.call('POST', '/tenants', { token: stack.tokens.alice, body: { slug: ALICE_SLUG, name: 'Alice Bench GmbH', plan: 'business' } }),
    201,
    'POST /tenants (Alice)',
  ).body;
  expectStatus(
    await stack.call('PATCH', `/tenants/${ALICE_SLUG}`, { token: stack.tokens.admin, body: { partnerId: partnerIds.get('northwind') } }),
    200,
    `PATCH /tenants/${ALICE_SLUG}`,
  );
  await announceBulkLoad(stack);
  const visibleMs = await waitForTenants(stack, 'webmail_dark_mode', tenants.length + 1);

  // The flags and Alice's tenant as the API holds them.
  const list = expectStatus(await stack.call('GET', '/flags', { token: stack.tokens.admin }), 200, 'GET /flags').body;
  /** @type {FlagDefinition[]} */
  const apiHeld = /** @type {Array<FlagDefinition>} */ (list.items).map((f) => ({ key: f.key, state: f.state, pct: f.pct, scope: f.scope }));
  const all = tenants.map((t) => ({ ...t, environment: 'production' }));
  all.push({ tenantId: /** @type {{ id: string }} */ (aliceTenant).id, tenantSlug: ALICE_SLUG, plan: 'business', partnerSlug: 'northwind', environment: 'production' });
  /** @type {Record<string, number>} */
  const states = {};
  for (const f of apiHeld) states[f.state] = (states[f.state] ?? 0) + 1;
  log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${apiHeld.length} flags, ${fmtInt(all.length)} tenants (visible to the API ${(visibleMs / 1000).toFixed(1)} s after the bump)`);
  return { tenants: all, aliceSlug: ALICE_SLUG, flags: apiHeld, states, partnerIds, setupMs: Date.now() - started, visibleMs };
}

/**
 * Grows the data set to `total` fixture tenants (the first ones are already there: the
 * fixtures are a deterministic sequence), in bulk, then announces the load in the change log and waits until
 * the API's snapshot holds them.
 * @param {Stack} stack
 * @param {Seeded} seeded
 * @param {number} total
 * @param {(line: string) => void} log
 * @returns {Promise<Seeded>}
 */
async function grow(stack, seeded, total, log) {
  const started = Date.now();
  const have = seeded.tenants.length - 1; // Alice's comes last
  const extra = makeTenants(total).slice(have);
  await insertTenants(stack, extra, seeded.partnerIds);
  const insertMs = Date.now() - started;
  await announceBulkLoad(stack);
  const visibleMs = await waitForTenants(stack, 'webmail_dark_mode', total + 1);
  const alice = /** @type {EvaluationContext} */ (seeded.tenants[seeded.tenants.length - 1]);
  const all = [...seeded.tenants.slice(0, have), ...extra.map((t) => ({ ...t, environment: 'production' })), alice];
  log(
    `  grown in ${((Date.now() - started) / 1000).toFixed(1)} s to ${fmtInt(all.length)} tenants (bulk insert of ${fmtInt(extra.length)} in ${(insertMs / 1000).toFixed(1)} s; ` +
      `visible to the API ${(visibleMs / 1000).toFixed(1)} s after the bump)`,
  );
  return { ...seeded, tenants: all, setupMs: Date.now() - started, visibleMs };
}

/**
 * Waits until the API's answers stop changing: the OFREP bulk ETag of a tenant is the same
 * twice, more than a second apart. ETags derive from the flag set and the tenant's attributes,
 * so they move only while changes (the bulk load's change-log entry, Alice's PATCH) are still
 * being applied; the ETags the 304 load sends must be fetched after that.
 * @param {Stack} stack
 * @param {string} slug
 * @param {number} [timeoutMs]
 * @returns {Promise<number>} ms waited
 */
async function waitForStableEtag(stack, slug, timeoutMs = 30_000) {
  const started = Date.now();
  const etag = async () =>
    expectStatus(await stack.call('POST', OFREP_BULK, { token: stack.tokens.admin, body: { context: { targetingKey: slug } } }), 200, `OFREP bulk ${slug}`).headers.get('etag');
  let last = await etag();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1500));
    const now = await etag();
    if (now === last) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`the API's ETag for ${slug} still changed after ${timeoutMs / 1000} s`);
    last = now;
  }
}

/**
 * @typedef {object} Check
 * @property {number} tenants
 * @property {number} answers evaluate answers compared
 * @property {number} ofrepAnswers OFREP bulk answers compared
 * @property {string[]} mismatches
 * @property {number[]} evaluateBytes answer sizes of POST /flags/evaluate
 * @property {number[]} ofrepBytes answer sizes of the OFREP bulk
 * @property {{ evaluate: string, ofrep: string }} contentTypes
 * @property {Map<string, string>} etags slug -> the OFREP bulk's ETag
 * @property {number} seconds
 */

/**
 * The API's POST /flags/evaluate and OFREP bulk answers for the picked tenants (indexes into
 * seeded.tenants), against flags-core's evaluateAll on the flags the API holds; keeps each
 * tenant's ETag and the answer sizes. Evaluating every tenant once also warms the API's bucket
 * memo, as in a long-running API.
 * @param {Stack} stack
 * @param {Seeded} seeded
 * @param {readonly number[]} picks
 * @param {number} [concurrency]
 * @returns {Promise<Check>}
 */
async function checkAnswers(stack, seeded, picks, concurrency = 8) {
  const started = Date.now();
  let answers = 0;
  let ofrepAnswers = 0;
  /** @type {string[]} */
  const mismatches = [];
  /** @param {string} m */
  const mismatch = (m) => {
    if (mismatches.length < 20) mismatches.push(m);
  };
  /** @type {number[]} */
  const evaluateBytes = [];
  /** @type {number[]} */
  const ofrepBytes = [];
  const contentTypes = { evaluate: '', ofrep: '' };
  /** @type {Map<string, string>} */
  const etags = new Map();
  let next = 0;
  const workerLoop = async () => {
    while (next < picks.length) {
      const ctx = /** @type {EvaluationContext} */ (seeded.tenants[/** @type {number} */ (picks[next++])]);
      const expected = evaluateAll(seeded.flags, ctx);
      const res = expectStatus(await stack.call('POST', '/flags/evaluate', { token: stack.tokens.admin, body: { tenantSlug: ctx.tenantSlug } }), 200, `evaluate ${ctx.tenantSlug}`);
      evaluateBytes.push(res.bytes);
      contentTypes.evaluate ||= res.headers.get('content-type') ?? '';
      const got = /** @type {Record<string, boolean>} */ (res.body);
      if (Object.keys(got).length !== seeded.flags.length) mismatch(`${ctx.tenantSlug}: ${Object.keys(got).length} keys, expected ${seeded.flags.length}`);
      for (const [key, value] of Object.entries(expected)) {
        answers++;
        if (got[key] !== value) mismatch(`${ctx.tenantSlug} ${key}: API ${String(got[key])}, flags-core ${value}`);
      }

      const o = expectStatus(
        await stack.call('POST', '/ofrep/v1/evaluate/flags', { token: stack.tokens.admin, body: { context: { targetingKey: ctx.tenantSlug } } }),
        200,
        `OFREP bulk ${ctx.tenantSlug}`,
      );
      ofrepBytes.push(o.bytes);
      contentTypes.ofrep ||= o.headers.get('content-type') ?? '';
      const etag = o.headers.get('etag');
      if (!etag) mismatch(`OFREP ${ctx.tenantSlug}: no ETag`);
      else etags.set(ctx.tenantSlug, etag);
      const body = /** @type {{ flags?: Array<{ key: string, value: unknown }>, metadata?: { tenant?: string } }} */ (o.body);
      const flags = body?.flags ?? [];
      if (flags.length !== seeded.flags.length) mismatch(`OFREP ${ctx.tenantSlug}: ${flags.length} flags, expected ${seeded.flags.length}`);
      if (body?.metadata?.tenant !== ctx.tenantSlug) mismatch(`OFREP ${ctx.tenantSlug}: metadata.tenant ${String(body?.metadata?.tenant)}`);
      const byKey = new Map(flags.map((f) => [f.key, f.value]));
      for (const [key, value] of Object.entries(expected)) {
        ofrepAnswers++;
        if (byKey.get(key) !== value) mismatch(`OFREP ${ctx.tenantSlug} ${key}: API ${String(byKey.get(key))}, flags-core ${value}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, workerLoop));
  return { tenants: picks.length, answers, ofrepAnswers, mismatches, evaluateBytes, ofrepBytes, contentTypes, etags, seconds: (Date.now() - started) / 1000 };
}

/**
 * Waits until a peer API answers POST /flags/evaluate exactly as the API does for the picked
 * tenants: the same bytes (it loaded the same data); throws after `timeoutMs`.
 * @param {Stack} stack
 * @param {string} peerUrl
 * @param {Seeded} seeded
 * @param {readonly number[]} picks
 * @param {number} [timeoutMs]
 */
async function sameAnswers(stack, peerUrl, seeded, picks, timeoutMs = 30_000) {
  const started = Date.now();
  /** @param {string} url @param {string} slug */
  const evaluate = async (url, slug) => {
    const res = await fetch(`${url}${EVALUATE}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantSlug: slug }),
      signal: AbortSignal.timeout(30_000),
    });
    return `${res.status} ${await res.text()}`;
  };
  for (const i of picks) {
    const slug = /** @type {EvaluationContext} */ (seeded.tenants[i]).tenantSlug;
    const expected = await evaluate(stack.apiUrl, slug);
    for (;;) {
      const got = await evaluate(peerUrl, slug);
      if (got === expected) break;
      if (Date.now() - started > timeoutMs) throw new Error(`the peer API answers ${slug} otherwise than the API: ${got.slice(0, 200)} against ${expected.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// ------------------------------------------------------------------ endpoints

/** @typedef {'ceiling-evaluate' | 'ceiling-ofrep' | 'ceiling-304' | 'ping' | 'evaluate' | 'evaluate-unbudgeted' | 'evaluate-unmetered' | 'portal-evaluate' | 'ofrep' | 'ofrep-304'} EndpointId */

/**
 * The process answering an endpoint: the API, the same API without request budgets (the peer),
 * the same API without metrics (METRICS_PORT=0), or the ceiling.
 */
/** @typedef {'api' | 'peer' | 'unmetered' | 'ceiling'} Server */

/**
 * @typedef {object} Endpoint
 * @property {EndpointId} id
 * @property {string} name as printed
 * @property {Server} server
 * @property {string} request method, path and what varies
 * @property {number} expect the status every answer must have
 * @property {Omit<LoadOptions, 'title' | 'durationS'>} load
 */

/**
 * The endpoints of a pass, the ceiling's with the same requests as their API counterparts.
 * Each load has a key (pass and endpoint), so a window carries on through the tenants where the
 * previous window of that endpoint stopped.
 * With `peerUrl`, evaluate is measured on the peer too (the same API without request budgets);
 * with `unmeteredUrl`, on the same API without metrics.
 * @param {{ apiUrl: string, ceilingUrl: string, peerUrl?: string, unmeteredUrl?: string, tokens: { admin: string, alice: string }, connections: number, seeded: Seeded, etags: Map<string, string>, pass: string }} p
 * @returns {Endpoint[]}
 */
function endpointsFor({ apiUrl, ceilingUrl, peerUrl, unmeteredUrl, tokens, connections, seeded, etags, pass }) {
  const operator = { authorization: `Bearer ${tokens.admin}` };
  const json = { 'content-type': 'application/json' };
  const evaluateBodies = seeded.tenants.map((t) => JSON.stringify({ tenantSlug: t.tenantSlug }));
  const ofrepBodies = seeded.tenants.map((t) => JSON.stringify({ context: { targetingKey: t.tenantSlug } }));
  const tagged = seeded.tenants.filter((t) => etags.has(t.tenantSlug));
  const notModifiedBodies = tagged.map((t) => JSON.stringify({ context: { targetingKey: t.tenantSlug } }));
  const notModifiedHeaders = tagged.map((t) => ({ 'if-none-match': /** @type {string} */ (etags.get(t.tenantSlug)) }));
  /** @type {(url: string, method: 'GET' | 'POST', p: string, headers: Record<string, string>, extra?: Partial<LoadOptions>) => Omit<LoadOptions, 'title' | 'durationS'>} */
  const load = (url, method, p, headers, extra = {}) => ({ url, method, path: p, headers, connections, ...extra });
  const n = fmtInt(seeded.tenants.length);
  const nTagged = fmtInt(tagged.length);
  const endpoints = /** @type {Endpoint[]} */ ([
    { id: 'ceiling-evaluate', name: 'ceiling: evaluate', server: 'ceiling', request: `POST ${EVALUATE}, ${n} tenants`, expect: 200, load: load(ceilingUrl, 'POST', EVALUATE, { ...operator, ...json }, { bodies: evaluateBodies }) },
    { id: 'ceiling-ofrep', name: 'ceiling: OFREP bulk', server: 'ceiling', request: `POST ${OFREP_BULK}, ${n} tenants`, expect: 200, load: load(ceilingUrl, 'POST', OFREP_BULK, { ...operator, ...json }, { bodies: ofrepBodies }) },
    {
      id: 'ceiling-304',
      name: 'ceiling: OFREP 304',
      server: 'ceiling',
      request: `POST ${OFREP_BULK} + If-None-Match, ${nTagged} tenants`,
      expect: 304,
      load: load(ceilingUrl, 'POST', OFREP_BULK, { ...operator, ...json }, { bodies: notModifiedBodies, bodyHeaders: notModifiedHeaders }),
    },
    { id: 'ping', name: 'ping', server: 'api', request: 'GET /ping', expect: 200, load: load(apiUrl, 'GET', '/ping', operator) },
    { id: 'evaluate', name: 'evaluate', server: 'api', request: `POST ${EVALUATE}, ${n} tenants`, expect: 200, load: load(apiUrl, 'POST', EVALUATE, { ...operator, ...json }, { bodies: evaluateBodies }) },
    ...(peerUrl
      ? [
          {
            id: 'evaluate-unbudgeted',
            name: 'evaluate, no budgets',
            server: 'peer',
            request: `POST ${EVALUATE}, ${n} tenants`,
            expect: 200,
            load: load(peerUrl, 'POST', EVALUATE, { ...operator, ...json }, { bodies: evaluateBodies }),
          },
        ]
      : []),
    ...(unmeteredUrl
      ? [
          {
            id: 'evaluate-unmetered',
            name: 'evaluate, no metrics',
            server: 'unmetered',
            request: `POST ${EVALUATE}, ${n} tenants`,
            expect: 200,
            load: load(unmeteredUrl, 'POST', EVALUATE, { ...operator, ...json }, { bodies: evaluateBodies }),
          },
        ]
      : []),
    {
      id: 'portal-evaluate',
      name: 'evaluate (portal)',
      server: 'api',
      request: `POST ${EVALUATE}, her tenant`,
      expect: 200,
      load: load(apiUrl, 'POST', EVALUATE, { authorization: `Bearer ${tokens.alice}`, ...json }, { bodies: [JSON.stringify({ tenantSlug: seeded.aliceSlug })] }),
    },
    { id: 'ofrep', name: 'OFREP bulk', server: 'api', request: `POST ${OFREP_BULK}, ${n} tenants`, expect: 200, load: load(apiUrl, 'POST', OFREP_BULK, { ...operator, ...json }, { bodies: ofrepBodies }) },
    {
      id: 'ofrep-304',
      name: 'OFREP 304',
      server: 'api',
      request: `POST ${OFREP_BULK} + If-None-Match, ${nTagged} tenants`,
      expect: 304,
      load: load(apiUrl, 'POST', OFREP_BULK, { ...operator, ...json }, { bodies: notModifiedBodies, bodyHeaders: notModifiedHeaders }),
    },
  ]);
  for (const e of endpoints) e.load.key = `${pass}:${e.id}`;
  return endpoints;
}

/**
 * One request of each endpoint by hand, before any load: each must answer its status, the
 * ceiling's as large as it was told.
 * @param {Endpoint[]} endpoints
 * @param {Ceiling} ceiling
 */
async function probe(endpoints, ceiling) {
  for (const e of endpoints) {
    /** @type {Record<string, string>} */
    const headers = { ...e.load.headers, ...(e.load.bodyHeaders?.[0] ?? {}) };
    const res = await fetch(`${e.load.url}${e.load.path}`, { method: e.load.method, headers, body: e.load.bodies?.[0], signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (res.status !== e.expect) throw new Error(`${e.name}: ${e.load.method} ${e.load.path} answered ${res.status}, expected ${e.expect}: ${text.slice(0, 300)}`);
    if (e.id === 'ping' && JSON.parse(text)?.ok !== true) throw new Error(`GET /ping answered ${text.slice(0, 300)}`);
    if (e.server === 'ceiling' && e.expect === 200) {
      const route = ceiling.routes.find((r) => r.path === e.load.path);
      if (Buffer.byteLength(text) !== route?.bytes) throw new Error(`${e.name}: ${Buffer.byteLength(text)} bytes, expected ${route?.bytes}`);
    }
  }
}

// ------------------------------------------------------------------ measuring

/**
 * @typedef {object} Run
 * @property {EndpointId} endpoint
 * @property {Server} server
 * @property {string} phase warmup, round-1, ..., discarded-1, profile-1
 * @property {LoadResult} load
 * @property {number} unexpected answers whose status was not the endpoint's
 * @property {number} apiCpuMs CPU time of the API process during the window
 * @property {number} peerCpuMs CPU time of the peer API (0 without one)
 * @property {number} unmeteredCpuMs CPU time of the API without metrics (0 without one)
 * @property {Scrape} [scrape] one GET /metrics of the API in the middle of the window (evaluate's measured windows)
 * @property {number} mongoCpuMs CPU time of mongo-wire
 * @property {number} ceilingCpuMs CPU time of the ceiling
 * @property {number} machineCpuMs CPU time of the whole machine (all processes)
 * @property {number} wallMs
 * @property {number[]} rssBytes the serving process's RSS, sampled during the window
 */

/**
 * @typedef {object} EndpointSummary
 * @property {EndpointId} id
 * @property {string} name
 * @property {Server} server
 * @property {string} request
 * @property {number} expect
 * @property {number} reqPerSec median over the rounds
 * @property {number} p50Ms median over the rounds
 * @property {number} p99Ms median over the rounds
 * @property {number} errors connection errors + timeouts, all rounds
 * @property {number} unexpected answers with another status than `expect`, all rounds
 * @property {number} serverCpuUsPerReq median over the rounds: CPU time of the serving process (API or ceiling) per request
 * @property {number} mongoCpuUsPerReq
 * @property {number} workerCpuUsPerReq autocannon's CPU time per request
 * @property {number} cpuBusyPct median over the rounds: CPU used by the API, mongo-wire, the ceiling and autocannon, as a share of all cores
 * @property {number} otherCpuPct median over the rounds: CPU used by every other process on the machine, as a share of all cores
 * @property {number[]} reqPerSecRounds in round order
 */

/**
 * @typedef {object} Ratio
 * @property {string} name
 * @property {EndpointId} ours
 * @property {EndpointId} base
 * @property {number[]} rounds
 * @property {number} median
 * @property {Verdict} verdict
 */

/**
 * @typedef {object} Memory
 * @property {number} beforeLoadMiB the API's RSS just before the pass's first window
 * @property {RssSummary} underLoad the API's RSS over its windows (warm-up and rounds)
 * @property {RssSummary} evaluateLoad the same, over the POST /flags/evaluate windows only
 * @property {GcResult} afterGc after the pass's last window
 * @property {RssSummary} ceiling the ceiling's RSS over its windows, for reference
 * @property {Verdict} verdict max under load against the target
 */

/**
 * @typedef {object} ScrapeSummary
 * @property {number} count scrapes that answered 200
 * @property {number} failed scrapes that failed or answered otherwise
 * @property {number} medianMs
 * @property {number} maxMs
 * @property {number} bytes median size
 * @property {number} lines median sample lines
 */

/**
 * @param {Run[]} runs
 * @returns {ScrapeSummary | null}
 */
function summarizeScrapes(runs) {
  const tried = runs.filter((r) => r.endpoint === 'evaluate');
  const ok = tried.flatMap((r) => (r.scrape?.status === 200 ? [r.scrape] : []));
  if (ok.length === 0) return null;
  return {
    count: ok.length,
    failed: tried.length - ok.length,
    medianMs: median(ok.map((x) => x.ms)),
    maxMs: Math.max(...ok.map((x) => x.ms)),
    bytes: median(ok.map((x) => x.bytes)),
    lines: median(ok.map((x) => x.lines)),
  };
}

/**
 * @typedef {object} PassResult
 * @property {string} id small, large
 * @property {number} tenants
 * @property {number} rounds
 * @property {number} durationS
 * @property {number} warmupS
 * @property {Check} check (etags and sizes left out of the JSON)
 * @property {number} setupMs
 * @property {number} visibleMs
 * @property {EndpointSummary[]} endpoints
 * @property {Ratio[]} ratios
 * @property {Verdict[]} verdicts every target of the pass (ratios, p99, errors, memory)
 * @property {Memory} memory
 * @property {ScrapeSummary | null} scrapes GET /metrics during evaluate's measured windows (null: none answered)
 * @property {number} discarded rounds repeated because other processes took CPU
 * @property {number} seconds
 * @property {Run[]} runs
 */

/**
 * @typedef {object} Scrape
 * @property {number} status
 * @property {number} ms request sent to body read
 * @property {number} bytes
 * @property {number} lines sample lines (not # HELP / # TYPE)
 */

/**
 * One GET /metrics, timed.
 * @param {string} url
 * @returns {Promise<Scrape>}
 */
async function scrapeMetrics(url) {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { status: res.status, ms, bytes: Buffer.byteLength(text), lines: text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length };
}

/**
 * @param {Run} r
 * @returns {number} CPU taken by every other process on the machine during a window, as a share of all cores
 */
function otherPct(r) {
  return (Math.max(0, r.machineCpuMs - ourCpuMs(r)) / (r.wallMs * os.cpus().length)) * 100;
}

/** @param {Run} r CPU time of the API, its peer, mongo-wire, the ceiling and autocannon during a window */
function ourCpuMs(r) {
  return r.apiCpuMs + r.peerCpuMs + r.unmeteredCpuMs + r.mongoCpuMs + r.ceilingCpuMs + r.load.workerCpuMs;
}

/**
 * @param {Endpoint} e
 * @param {Run[]} runs the endpoint's measured rounds, in order
 * @returns {EndpointSummary}
 */
function summarize(e, runs) {
  const cores = os.cpus().length;
  return {
    id: e.id,
    name: e.name,
    server: e.server,
    request: e.request,
    expect: e.expect,
    reqPerSec: median(runs.map((r) => r.load.reqPerSec)),
    p50Ms: median(runs.map((r) => r.load.latencyMs.p50)),
    p99Ms: median(runs.map((r) => r.load.latencyMs.p99)),
    errors: runs.reduce((a, r) => a + r.load.errors + r.load.timeouts, 0),
    unexpected: runs.reduce((a, r) => a + r.unexpected, 0),
    serverCpuUsPerReq: median(runs.map((r) => ({ api: r.apiCpuMs, peer: r.peerCpuMs, unmetered: r.unmeteredCpuMs, ceiling: r.ceilingCpuMs }[r.server] * 1000) / r.load.requests)),
    mongoCpuUsPerReq: median(runs.map((r) => (r.mongoCpuMs * 1000) / r.load.requests)),
    workerCpuUsPerReq: median(runs.map((r) => (r.load.workerCpuMs * 1000) / r.load.requests)),
    cpuBusyPct: median(runs.map((r) => (ourCpuMs(r) / (r.wallMs * cores)) * 100)),
    otherCpuPct: median(runs.map(otherPct)),
    reqPerSecRounds: runs.map((r) => r.load.reqPerSec),
  };
}

/**
 * @typedef {object} Rig
 * @property {Stack} stack
 * @property {Ceiling} ceiling
 * @property {import('./stack.mjs').Peer | null} peer the API without request budgets, while it runs
 * @property {import('./stack.mjs').Peer | null} unmetered the API without metrics (METRICS_PORT=0), while it runs
 * @property {LoadWorker} worker
 * @property {Options} options
 * @property {(line: string) => void} log
 */

/**
 * One window of autocannon on one endpoint, with the CPU time of every process and the serving
 * process's RSS sampled meanwhile.
 * @param {Rig} rig
 * @param {Endpoint} e
 * @param {string} phase
 * @param {number} durationS
 * @param {string} tag printed in front
 * @returns {Promise<Run>}
 */
async function measure(rig, e, phase, durationS, tag) {
  const { stack, ceiling, peer, unmetered, worker, options, log } = rig;
  const servingPid = { api: stack.pids.api, peer: peer?.pid ?? NaN, unmetered: unmetered?.pid ?? NaN, ceiling: ceiling.pid }[e.server];
  const peerCpuMs = () => (peer ? processCpuMs(peer.pid) : 0);
  const unmeteredCpuMs = () => (unmetered ? processCpuMs(unmetered.pid) : 0);
  /** @type {number[]} */
  const rssBytes = [];
  const sampler = setInterval(() => rssBytes.push(processRssBytes(servingPid)), options.rssIntervalMs);
  const api0 = processCpuMs(stack.pids.api);
  const peer0 = peerCpuMs();
  const unmetered0 = unmeteredCpuMs();
  const mongo0 = processCpuMs(stack.pids.mongo);
  const ceiling0 = processCpuMs(ceiling.pid);
  const machine0 = machineBusyCpuMs();
  const t0 = performance.now();
  // What a Prometheus scrape costs while the API is under load: one, halfway through evaluate's measured windows.
  /** @type {Promise<Scrape | undefined> | undefined} */
  let scraped;
  const scrapeTimer =
    e.id === 'evaluate' && phase.startsWith('round-')
      ? setTimeout(() => {
          scraped = scrapeMetrics(stack.metricsUrl).catch(() => undefined);
        }, (durationS * 1000) / 2)
      : undefined;
  let load;
  try {
    load = await worker.run({ ...e.load, title: `${tag} ${e.id} ${phase}`, durationS });
  } finally {
    clearInterval(sampler);
    clearTimeout(scrapeTimer);
  }
  const scrape = await scraped;
  const wallMs = performance.now() - t0;
  /** @type {Run} */
  const run = {
    endpoint: e.id,
    server: e.server,
    phase,
    load,
    unexpected: unexpectedResponses(load.statusCodes, e.expect),
    apiCpuMs: processCpuMs(stack.pids.api) - api0,
    peerCpuMs: peerCpuMs() - peer0,
    unmeteredCpuMs: unmeteredCpuMs() - unmetered0,
    mongoCpuMs: processCpuMs(stack.pids.mongo) - mongo0,
    ceilingCpuMs: processCpuMs(ceiling.pid) - ceiling0,
    machineCpuMs: machineBusyCpuMs() - machine0,
    wallMs,
    rssBytes,
    ...(scrape ? { scrape } : {}),
  };
  const rss = summarizeRss(rssBytes);
  log(
    `    ${tag.padEnd(5)} ${phase.padEnd(12)} ${e.id.padEnd(16)} ${fmtInt(load.reqPerSec).padStart(7)} req/s  p50 ${fmtNum(load.latencyMs.p50)} ms  p99 ${fmtNum(load.latencyMs.p99)} ms` +
      `  errors ${load.errors + load.timeouts}  not ${e.expect} ${run.unexpected}  RSS max ${fmtInt(rss.maxMiB)} MiB`,
  );
  await new Promise((r) => setTimeout(r, options.pauseMs));
  return run;
}

/**
 * A pass: a warm-up of each endpoint, then `rounds` rounds measuring every endpoint once, in
 * an order that changes from round to round (roundOrder); a round during which other
 * processes took a noticeable share of the CPU is repeated, a bounded number of times (the
 * discarded ones stay in the JSON). Then a forced GC in the API and its RSS.
 * @param {Rig} rig
 * @param {{ id: string, tag: string, seeded: Seeded, check: Check, endpoints: Endpoint[], rounds: number, durationS: number, warmupS: number, maxDiscarded: number, deadline: number, rssTargetMiB: number }} pass
 * @returns {Promise<PassResult>}
 */
async function runPass(rig, pass) {
  const { stack, options, log } = rig;
  const started = Date.now();
  const beforeLoadMiB = processRssBytes(stack.pids.api) / MIB;
  /** @type {Run[]} */
  const runs = [];
  if (pass.warmupS > 0) for (const e of pass.endpoints) runs.push(await measure(rig, e, 'warmup', pass.warmupS, pass.tag));
  let discarded = 0;
  for (let round = 1, accepted = 0; accepted < pass.rounds; round++) {
    /** @type {Run[]} */
    const these = [];
    for (const e of roundOrder(pass.endpoints, round)) {
      const run = await measure(rig, e, `round-${accepted + 1}`, pass.durationS, pass.tag);
      these.push(run);
      runs.push(run);
    }
    const others = Math.max(...these.map(otherPct));
    if (others > options.maxOtherCpuPct && discarded < pass.maxDiscarded && Date.now() < pass.deadline) {
      discarded++;
      for (const r of these) r.phase = `discarded-${discarded}`;
      log(`    ${pass.tag.padEnd(5)} round ${accepted + 1} discarded: other processes took up to ${fmtInt(others)}% of the CPU`);
      continue;
    }
    accepted++;
  }
  const afterGc = await stack.forceGc();
  log(`    ${pass.tag.padEnd(5)} after a forced GC (${afterGc.how}): API RSS ${fmtInt(afterGc.rssBytes / MIB)} MiB; V8 heap ${formatHeapSpaces(afterGc.heapSpaces)}`);

  const measured = runs.filter((r) => r.phase.startsWith('round-'));
  /** @type {Map<EndpointId, EndpointSummary>} */
  const byId = new Map();
  for (const e of pass.endpoints) byId.set(e.id, summarize(e, measured.filter((r) => r.endpoint === e.id)));
  const t = options.targets;
  /** @type {Array<[string, EndpointId, EndpointId, number]>} */
  const ratioDefs = [
    ['evaluate / ceiling', 'evaluate', 'ceiling-evaluate', t.evaluateCeiling],
    ['evaluate (portal) / ceiling', 'portal-evaluate', 'ceiling-evaluate', t.evaluateCeiling],
    ['OFREP bulk / ceiling', 'ofrep', 'ceiling-ofrep', t.ofrepCeiling],
    ['OFREP 304 / ceiling', 'ofrep-304', 'ceiling-304', t.notModifiedCeiling],
    ['evaluate / ping', 'evaluate', 'ping', t.evaluatePing],
    ['evaluate / evaluate without budgets', 'evaluate', 'evaluate-unbudgeted', t.budgetsKept],
    ['evaluate / evaluate without metrics', 'evaluate', 'evaluate-unmetered', t.metricsKept],
  ];
  /** @type {Ratio[]} */
  const ratios = ratioDefs
    .filter(([, ours, base]) => byId.has(ours) && byId.has(base))
    .map(([name, ours, base, limit]) => {
      const r = roundRatios(/** @type {EndpointSummary} */ (byId.get(ours)).reqPerSecRounds, /** @type {EndpointSummary} */ (byId.get(base)).reqPerSecRounds);
      return { name, ours, base, rounds: r.rounds, median: r.median, verdict: verdict({ name, op: '>=', limit, unit: 'x' }, r.median) };
    });
  const apiRuns = runs.filter((r) => r.server === 'api');
  const underLoad = summarizeRss(apiRuns.flatMap((r) => r.rssBytes));
  const memory = {
    beforeLoadMiB,
    underLoad,
    evaluateLoad: summarizeRss(apiRuns.filter((r) => r.endpoint === 'evaluate').flatMap((r) => r.rssBytes)),
    afterGc,
    ceiling: summarizeRss(runs.filter((r) => r.server === 'ceiling').flatMap((r) => r.rssBytes)),
    verdict: verdict({ name: 'API RSS under load, max', op: '<=', limit: pass.rssTargetMiB, unit: ' MiB' }, underLoad.maxMiB),
  };
  const errors = runs.reduce((a, r) => a + r.load.errors + r.load.timeouts + r.unexpected, 0);
  /** @type {Verdict[]} */
  const verdicts = [
    ...ratios.map((r) => r.verdict),
    .../** @type {EndpointId[]} */ (['evaluate', 'portal-evaluate'])
      .filter((id) => byId.has(id))
      .map((id) => verdict({ name: `${byId.get(id)?.name} p99`, op: '<=', limit: t.evaluateP99Ms, unit: ' ms' }, /** @type {EndpointSummary} */ (byId.get(id)).p99Ms)),
    verdict({ name: 'errors, timeouts and unexpected statuses (every window)', op: '<=', limit: 0, unit: '' }, errors),
    memory.verdict,
  ];
  return {
    id: pass.id,
    tenants: pass.seeded.tenants.length,
    rounds: pass.rounds,
    durationS: pass.durationS,
    warmupS: pass.warmupS,
    check: pass.check,
    setupMs: pass.seeded.setupMs,
    visibleMs: pass.seeded.visibleMs,
    endpoints: [...byId.values()],
    ratios,
    verdicts,
    memory,
    scrapes: summarizeScrapes(measured),
    discarded,
    seconds: (Date.now() - started) / 1000,
    runs,
  };
}

/**
 * @typedef {object} ProfileResult
 * @property {EndpointId} endpoint
 * @property {string[]} files one .cpuprofile per window
 * @property {number} requests over all windows
 * @property {number} reqPerSec under the profiler, median window
 * @property {import('./cpu-profile.mjs').ProfileSummary} summary
 */

/**
 * Profiled windows after the first pass (so the profiler never slows the measured ones): the
 * API's CPU profile while autocannon drives one endpoint, `profileRounds` windows per
 * endpoint, the order changing; the windows of an endpoint are added up.
 * @param {Rig} rig
 * @param {Endpoint[]} endpoints
 * @param {string} dir
 * @returns {Promise<{ profiles: ProfileResult[], runs: Run[] }>}
 */
async function profileEndpoints(rig, endpoints, dir) {
  const { stack, options } = rig;
  /** @type {Map<EndpointId, { files: string[], requests: number, rates: number[], summaries: import('./cpu-profile.mjs').ProfileSummary[] }>} */
  const acc = new Map(endpoints.map((e) => [e.id, { files: [], requests: 0, rates: [], summaries: [] }]));
  /** @type {Run[]} */
  const runs = [];
  for (let w = 1; w <= options.profileRounds; w++) {
    for (const e of roundOrder(endpoints, w)) {
      const file = path.join(dir, `http-${e.id}-${w}.cpuprofile`);
      await stack.startProfile(file);
      const run = await measure(rig, e, `profile-${w}`, options.durationS, 'prof');
      await stack.stopProfile();
      runs.push(run);
      const a = /** @type {NonNullable<ReturnType<typeof acc.get>>} */ (acc.get(e.id));
      a.files.push(file);
      a.requests += run.load.requests;
      a.rates.push(run.load.reqPerSec);
      a.summaries.push(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top: 40 }));
    }
  }
  const profiles = endpoints.map((e) => {
    const a = /** @type {NonNullable<ReturnType<typeof acc.get>>} */ (acc.get(e.id));
    return { endpoint: e.id, files: a.files, requests: a.requests, reqPerSec: median(a.rates), summary: mergeSummaries(a.summaries, { top: 20 }) };
  });
  return { profiles, runs };
}

// ------------------------------------------------------------------ report

/**
 * @param {PassResult} p
 * @param {Options} options
 * @param {string} note
 * @returns {string[]}
 */
function formatPass(p, options, note) {
  const lines = [''];
  lines.push(
    `HTTP at ${fmtInt(p.tenants)} tenants${note}: ${p.rounds} interleaved rounds of ${p.durationS} s per endpoint` +
      `${p.warmupS > 0 ? ` (after a ${p.warmupS} s warm-up of each)` : ' (no warm-up)'}, ${options.connections} connections; figures are the median round`,
  );
  const rows = p.endpoints.map((e) => [
    e.name,
    e.request,
    fmtInt(e.reqPerSec),
    fmtNum(e.p50Ms),
    fmtNum(e.p99Ms),
    String(e.errors),
    String(e.unexpected),
    fmtInt(e.serverCpuUsPerReq),
    fmtInt(e.mongoCpuUsPerReq),
    fmtInt(e.workerCpuUsPerReq),
    `${fmtInt(e.cpuBusyPct)}%`,
    `${fmtInt(e.otherCpuPct)}%`,
  ]);
  lines.push(
    ...table(
      ['endpoint', 'request', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx/304', 'server CPU us/req', 'mongo us/req', 'autocannon us/req', 'CPU ours', 'CPU others'],
      rows,
    ),
  );
  lines.push('');
  lines.push('  ratios: req/s ours / base per round = ratio; the median of the per-round ratios against its target');
  const w = Math.max(...p.ratios.map((r) => r.name.length));
  const byId = new Map(p.endpoints.map((e) => [e.id, e]));
  for (const r of p.ratios) {
    const ours = byId.get(r.ours)?.reqPerSecRounds ?? [];
    const base = byId.get(r.base)?.reqPerSecRounds ?? [];
    const per = r.rounds.map((x, i) => `${fmtInt(ours[i] ?? NaN)}/${fmtInt(base[i] ?? NaN)}=${fmtRatio(x)}`).join('  ');
    lines.push(`    ${r.name.padEnd(w)}  ${formatVerdict(r.verdict)}   rounds: ${per}`);
  }
  const sc = p.scrapes;
  if (sc) {
    lines.push(
      `  GET /metrics on the metrics port, once halfway through each measured evaluate window: ${sc.count} scrape(s)${sc.failed > 0 ? ` (${sc.failed} failed)` : ''}, ` +
        `median ${fmtNum(sc.medianMs)} ms, max ${fmtNum(sc.maxMs)} ms, ${fmtInt(sc.bytes)} B, ${fmtInt(sc.lines)} sample lines`,
    );
  }
  lines.push('  targets:');
  for (const v of p.verdicts.filter((x) => x.unit !== 'x')) lines.push(`    ${v.name}: ${formatVerdict(v, v.unit === ' ms' ? 1 : 0)}`);
  const m = p.memory;
  lines.push(
    `  memory, the API's RSS (VmRSS, sampled every ${options.rssIntervalMs} ms during its windows): before the load ${fmtInt(m.beforeLoadMiB)} MiB; ` +
      `under load median ${fmtInt(m.underLoad.medianMiB)} MiB, max ${fmtInt(m.underLoad.maxMiB)} MiB (${fmtInt(m.underLoad.samples)} samples; ` +
      `evaluate windows: median ${fmtInt(m.evaluateLoad.medianMiB)}, max ${fmtInt(m.evaluateLoad.maxMiB)} MiB); ` +
      `after a forced GC (${m.afterGc.how}) ${fmtInt(m.afterGc.rssBytes / MIB)} MiB (anonymous ${fmtInt(m.afterGc.rssAnonBytes / MIB)}, file ${fmtInt(m.afterGc.rssFileBytes / MIB)}); ` +
      `V8 heap ${formatHeapSpaces(m.afterGc.heapSpaces)}, external ${fmtInt(m.afterGc.memoryUsage.external / MIB)} MiB; the ceiling's max ${fmtInt(m.ceiling.maxMiB)} MiB`,
  );
  const others = Math.max(...p.endpoints.map((e) => e.otherCpuPct));
  if (p.discarded > 0) lines.push(`  ${p.discarded} disturbed round(s) repeated`);
  if (others > 5) {
    lines.push(`  WARNING: other processes took up to ${fmtInt(others)}% of the machine's CPU in the median round: the figures are disturbed; run again on a quiet machine`);
  }
  lines.push(
    `  correctness: ${fmtInt(p.check.tenants)} tenants' POST /flags/evaluate and OFREP bulk answers (${fmtInt(p.check.answers)} + ${fmtInt(p.check.ofrepAnswers)} flag values) ` +
      `checked against @dezky/flags-core before the load: ${p.check.mismatches.length} mismatches`,
  );
  return lines;
}

/**
 * @param {PassResult[]} passes
 * @param {ProfileResult[]} profiles
 * @param {Options} options
 * @param {{ seeded: Seeded, ceiling: Ceiling, workerPid: number, autocannon: string }} ctx
 */
export function formatReport(passes, profiles, options, ctx) {
  const lines = [];
  const states = Object.entries(ctx.seeded.states)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push('');
  lines.push(
    `  data: ${ctx.seeded.flags.length} flags (${states}); APP_ENV=production; the API runs with --expose-gc` +
      `${options.apiNodeArgs.length > 0 ? ` ${options.apiNodeArgs.join(' ')}` : ''} (node ${process.version})`,
  );
  const routes = ctx.ceiling.routes.map((r) => `${r.path} ${fmtInt(r.bytes)} B`).join(', ');
  lines.push(
    `  ceiling (pid ${ctx.ceiling.pid}): bare node:http, reads and JSON.parses the body, answers a precomputed body the size of the API's median answer ` +
      `(${routes}; ${ctx.ceiling.routes[0]?.status ?? 200}, ${ctx.ceiling.routes[0]?.contentType ?? '?'}), and 304 with the If-None-Match as ETag; same requests as the API's`,
  );
  lines.push(
    '  endpoints: ping, evaluate, OFREP with the admin\u2019s operator token, a different tenant each request (connection k cycles through its own 1/' +
      `${options.connections} of the tenants, each window carrying on where the endpoint's previous one stopped); evaluate (portal) with Alice\u2019s portal token on her own tenant (${ctx.seeded.aliceSlug}); ` +
      'OFREP 304 with each tenant\u2019s current ETag in If-None-Match (any other answer than 304 counts as an error); ' +
      'evaluate, no budgets: the same requests to a second API process on the same data with RATE_LIMIT_*=off (first pass only), so that what counting every request costs is measured in the same rounds; ' +
      'evaluate, no metrics: the same to a third with METRICS_PORT=0 (first pass only; the API and the other peer serve metrics, as deployed), so that what the metrics cost on the request path is measured in the same rounds',
  );
  for (const [i, p] of passes.entries()) lines.push(...formatPass(p, options, i > 0 ? ' (the same API process, grown after the first pass)' : ''));
  lines.push('');
  lines.push(
    `  load: autocannon ${ctx.autocannon} in a forked child process (pid ${ctx.workerPid}), pipelining 1, on the same ${os.cpus().length} cores as the API, mongo-wire and the ceiling ` +
      `(nothing pinned); server CPU us/req = the serving process's CPU time (/proc; the API, its peer, or the ceiling) during the window / requests; ` +
      'CPU ours = API + peer + mongo-wire + ceiling + autocannon / (wall x cores); CPU others = every other process on the machine, same scale; ' +
      'non-2xx/304 = answers with another status than 200 (304 for the 304 rows)',
  );

  const ping = profiles.find((p) => p.endpoint === 'ping');
  if (profiles.length > 0) {
    const ms = passes[0];
    lines.push('');
    lines.push(
      `  CPU profile of the API's main thread at ${fmtInt(ms?.tenants ?? NaN)} tenants: ${options.profileRounds} extra ${options.durationS} s windows per endpoint under the profiler, ` +
        `after the first pass (median ${profiles.map((p) => `${p.endpoint} ${fmtInt(p.reqPerSec)}`).join(', ')} req/s); us per request; a sample counts for the deepest library frame on its stack`,
    );
    const perReq = profiles.map((p) => new Map(p.summary.components.map((c) => [c.component, (c.ms * 1000) / p.requests])));
    const evaluateIdx = profiles.findIndex((p) => p.endpoint === 'evaluate');
    const pingIdx = profiles.findIndex((p) => p.endpoint === 'ping');
    const sortBy = perReq[evaluateIdx >= 0 ? evaluateIdx : 0] ?? new Map();
    const comps = [...new Set(perReq.flatMap((m) => [...m.keys()]))].sort((x, y) => (sortBy.get(y) ?? 0) - (sortBy.get(x) ?? 0));
    const diff = evaluateIdx >= 0 && pingIdx >= 0;
    const crow = comps.map((c) => [
      c,
      ...perReq.map((m) => fmtNum(m.get(c) ?? 0, 0)),
      ...(diff ? [fmtNum((perReq[evaluateIdx]?.get(c) ?? 0) - (perReq[pingIdx]?.get(c) ?? 0), 0)] : []),
    ]);
    const busy = profiles.map((p) => (p.summary.busyMs * 1000) / p.requests);
    crow.push(['total, not idle', ...busy.map((b) => fmtNum(b, 0)), ...(diff ? [fmtNum((busy[evaluateIdx] ?? 0) - (busy[pingIdx] ?? 0), 0)] : [])]);
    lines.push(...table(['component', ...profiles.map((p) => p.endpoint), ...(diff ? ['evaluate - ping'] : [])], crow).map((l) => `    ${l}`));
    for (const p of profiles.filter((x) => x !== ping)) {
      lines.push(`    ${p.endpoint}, top functions by self time (us/req):`);
      for (const f of p.summary.functions.filter((x) => x.name !== '(idle)').slice(0, 8)) {
        lines.push(`      ${fmtNum((f.selfMs * 1000) / p.requests).padStart(6)}  ${f.name}${f.where ? `  ${f.where}` : ''}`);
      }
    }
  }

  lines.push('');
  lines.push('  targets (misses are reported; errors and failed checks fail the run):');
  for (const p of passes) {
    for (const v of p.verdicts) lines.push(`    ${`${fmtInt(p.tenants)} tenants`.padEnd(16)} ${v.name}: ${formatVerdict(v, v.unit === 'x' ? 2 : v.unit === ' ms' ? 1 : 0)}`);
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

/**
 * Run benchmark 2. Throws when any request failed (errors, timeouts, another status than
 * expected), when the API's answers disagree with flags-core, or when anything tried to leave
 * the machine. Missed targets are reported, they do not fail the run.
 * @param {Partial<Options>} [overrides]
 */
export async function main(overrides = {}) {
  const { options, log, guard, started } = startRun(DEFAULTS, optionsFromEnv(), overrides);
  /** @type {Stack | null} */
  let stack = null;
  /** @type {LoadWorker | null} */
  let worker = null;
  /** @type {Ceiling | null} */
  let ceiling = null;
  try {
    log(`bench http: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'})`);
    stack = await startStack({ log, exposeGc: true, nodeArgs: options.apiNodeArgs });
    const seeded = await seed(stack, options, log);
    await waitForStableEtag(stack, seeded.aliceSlug);
    const check = await checkAnswers(stack, seeded, spreadPicks(seeded.tenants.length, options.checkTenants));
    log(
      `  checked ${fmtInt(check.tenants)} tenants (${fmtInt(check.answers)} evaluate + ${fmtInt(check.ofrepAnswers)} OFREP answers) against @dezky/flags-core ` +
        `in ${check.seconds.toFixed(1)} s: ${check.mismatches.length} mismatches`,
    );
    if (check.mismatches.length > 0) throw new Error(`the API's answers disagree with @dezky/flags-core:\n  ${check.mismatches.join('\n  ')}`);

    ceiling = await startCeiling([
      { path: EVALUATE, status: 200, contentType: check.contentTypes.evaluate, bytes: typicalSize(check.evaluateBytes) },
      { path: OFREP_BULK, status: 200, contentType: check.contentTypes.ofrep, bytes: typicalSize(check.ofrepBytes), notModified: true },
    ]);
    worker = await startLoadWorker();
    log(`  ceiling ${ceiling.url} (pid ${ceiling.pid}): ${ceiling.routes.map((r) => `${r.path} ${fmtInt(r.bytes)} B`).join(', ')}; load worker pid ${worker.pid}`);
    // The same API without request budgets, beside it on the same data, so that what budgets
    // cost is measured in the same rounds (unless the API itself runs without them).
    const peer = process.env.BENCH_RATE_LIMITS === 'off' ? null : await stack.startPeer(Object.fromEntries(RATE_LIMIT_VARIABLES.map((name) => [name, 'off'])));
    if (peer) await sameAnswers(stack, peer.url, seeded, spreadPicks(seeded.tenants.length, 200));
    // The same API without metrics, so that what they cost is measured in the same rounds too.
    const unmetered = await stack.startPeer({ METRICS_PORT: '0' });
    await sameAnswers(stack, unmetered.url, seeded, spreadPicks(seeded.tenants.length, 200));
    /** @type {Rig} */
    const rig = { stack, ceiling, peer, unmetered, worker, options, log };
    const base = { apiUrl: stack.apiUrl, ceilingUrl: ceiling.url, tokens: stack.tokens, connections: options.connections };

    /** @type {PassResult[]} */
    const passes = [];
    const endpoints = endpointsFor({ ...base, peerUrl: peer?.url, unmeteredUrl: unmetered.url, seeded, etags: check.etags, pass: 'first' });
    await probe(endpoints, ceiling);
    const tag = `${Math.round(seeded.tenants.length / 1000)}k`;
    passes.push(
      await runPass(rig, {
        id: 'first',
        tag,
        seeded,
        check,
        endpoints,
        rounds: options.rounds,
        durationS: options.durationS,
        warmupS: options.warmupS,
        maxDiscarded: options.maxDiscarded,
        // Repeating disturbed rounds stops after this, so a busy machine cannot stretch the run much.
        deadline: started + options.repeatBudgetS * 1000,
        rssTargetMiB: options.targets.rssMiB,
      }),
    );
    if (peer) {
      await peer.stop();
      rig.peer = null;
    }
    await unmetered.stop();
    rig.unmetered = null;

    /** @type {ProfileResult[]} */
    let profiles = [];
    /** @type {Run[]} */
    let profileRuns = [];
    const evaluatePing = passes[0]?.ratios.find((r) => r.ours === 'evaluate' && r.base === 'ping');
    const wantProfile = options.cpuProfile === 'always' || (options.cpuProfile === 'auto' && evaluatePing !== undefined && !evaluatePing.verdict.pass);
    if (wantProfile && options.output) {
      const dir = path.dirname(options.output);
      mkdirSync(dir, { recursive: true });
      /** @type {EndpointId[]} */
      const ids = options.cpuProfile === 'always' ? ['ping', 'evaluate', 'portal-evaluate', 'ofrep', 'ofrep-304'] : ['ping', 'evaluate'];
      const got = await profileEndpoints(rig, endpoints.filter((e) => ids.includes(e.id)), dir);
      profiles = got.profiles;
      profileRuns = got.runs;
    }

    if (options.largeTenants > options.tenants && options.largeRounds > 0) {
      const grown = await grow(stack, seeded, options.largeTenants, log);
      await waitForStableEtag(stack, grown.aliceSlug);
      const largeCheck = await checkAnswers(stack, grown, spreadPicks(grown.tenants.length, options.largeCheckTenants));
      log(
        `  checked ${fmtInt(largeCheck.tenants)} of ${fmtInt(grown.tenants.length)} tenants (${fmtInt(largeCheck.answers)} evaluate + ${fmtInt(largeCheck.ofrepAnswers)} OFREP answers) ` +
          `in ${largeCheck.seconds.toFixed(1)} s: ${largeCheck.mismatches.length} mismatches`,
      );
      if (largeCheck.mismatches.length > 0) throw new Error(`the API's answers disagree with @dezky/flags-core:\n  ${largeCheck.mismatches.join('\n  ')}`);
      const largeEndpoints = endpointsFor({ ...base, seeded: grown, etags: largeCheck.etags, pass: 'large' });
      await probe(largeEndpoints, ceiling);
      passes.push(
        await runPass(rig, {
          id: 'large',
          tag: `${Math.round(grown.tenants.length / 1000)}k`,
          seeded: grown,
          check: largeCheck,
          endpoints: largeEndpoints,
          rounds: options.largeRounds,
          durationS: options.largeDurationS,
          warmupS: options.largeWarmupS,
          maxDiscarded: 0,
          deadline: 0,
          rssTargetMiB: options.targets.largeRssMiB,
        }),
      );
    }

    const apiNetwork = await stack.apiNetwork();
    const report = formatReport(passes, profiles, options, { seeded, ceiling, workerPid: worker.pid, autocannon: packageVersion('autocannon') });
    log(report);

    const failures = [];
    for (const run of [...passes.flatMap((p) => p.runs), ...profileRuns]) {
      const bad = run.load.errors + run.load.timeouts + run.unexpected;
      if (bad > 0) failures.push(`${run.load.title}: ${run.load.errors} errors, ${run.load.timeouts} timeouts, ${run.unexpected} unexpected statuses (${JSON.stringify(run.load.statusCodes)})`);
      if (run.load.connectionsRefused > 0) failures.push(`${run.load.title}: the load worker tried to leave the machine`);
    }
    const network = networkVerdict(guard, apiNetwork);
    failures.push(...network.failures);
    log('');
    log(network.line);

    const json = {
      ...runFacts('http'),
      autocannon: packageVersion('autocannon'),
      options,
      seconds: (Date.now() - started) / 1000,
      warnings: stack.warnings,
      data: { flags: seeded.flags.length, states: seeded.states },
      ceiling: { pid: ceiling.pid, routes: ceiling.routes },
      network: { bench: { connections: guard.connections.length, blocked: guard.blocked }, api: apiNetwork },
      ok: failures.length === 0,
      failures,
      passes: passes.map((p) => ({
        ...p,
        check: { tenants: p.check.tenants, answers: p.check.answers, ofrepAnswers: p.check.ofrepAnswers, mismatches: p.check.mismatches, seconds: p.check.seconds, contentTypes: p.check.contentTypes },
      })),
      profiles: profiles.map((p) => ({ ...p, summary: { ...p.summary, inclusive: p.summary.inclusive.slice(0, 30) } })),
      profileRuns,
    };
    writeResults(options.output, json, log);
    if (failures.length > 0) throw new Error(`http benchmark FAILED:\n  ${failures.join('\n  ')}`);
    return { passes };
  } finally {
    await worker?.close().catch(() => undefined);
    await ceiling?.close().catch(() => undefined);
    await stack?.stop();
    guard.uninstall();
  }
}

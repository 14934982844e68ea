// Benchmark 2: POST /flags/evaluate over HTTP against GET /ping (authentication alone) on the
// real API, under the same load, interleaved.
//
// Stack (stack.mjs): mongo-wire + dev IdP + the built API (APP_ENV=production). Data: the 20
// fixture partners and 90 fixture flags through the API (so 100 flags with the 10 seeded ones),
// 10,000 fixture tenants inserted in bulk, and Alice's own tenant created through the API with
// her portal token. Before any load, the API's answers for a sample of tenants are checked
// against @dezky/flags-core.
//
// Load: autocannon in a child process (load-worker.mjs), 50 connections, pipelining 1. For each
// caller (the operator with an operator token evaluating every tenant in turn; Alice with a
// portal token evaluating her own tenant): a warm-up of each endpoint, then rounds of ping and
// evaluate back to back (the order alternates between rounds). Figures are the median round;
// the ratio is the median of the per-round ratios evaluate/ping.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAll } from '@dezky/flags-core';
import { packageVersion } from './engines.mjs';
import { makeFlags, makeTenants } from './fixtures.mjs';
import { mergeSummaries, summarizeProfile } from './cpu-profile.mjs';
import { installNetGuard } from './net-guard.mjs';
import { allowlistedSlugs, apiFlags, bumpRevision, createFlags, createPartners, insertTenants, waitForTenants } from './seed.mjs';
import { expectStatus, forkTracked, machineBusyCpuMs, processCpuMs, startStack } from './stack.mjs';
import { fmtInt, fmtNum, fmtRatio, median, table } from './stats.mjs';

/** @typedef {import('./load-worker.mjs').LoadOptions} LoadOptions */
/** @typedef {import('./load-worker.mjs').LoadResult} LoadResult */
/** @typedef {import('./stack.mjs').Stack} Stack */
/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */

/**
 * @typedef {object} Options
 * @property {number} tenants bulk-inserted tenants (Alice's own comes on top)
 * @property {number} extraFlags flags created through the API on top of the 10 seeded ones
 * @property {number} connections
 * @property {number} durationS per measured run
 * @property {number} rounds
 * @property {number} warmupS per endpoint, before the rounds
 * @property {number} pauseMs between runs
 * @property {number} checkTenants tenants whose evaluation is checked against flags-core before the load (0 = every tenant)
 * @property {'auto' | 'always' | 'never'} cpuProfile profile the API (extra windows after the rounds) when evaluate misses the target, always, or never
 * @property {number} profileRounds profiled windows per endpoint
 * @property {number} targetRatio evaluate/ping throughput
 * @property {number} maxOtherCpuPct a round during which other processes took more of the machine's CPU is repeated
 * @property {number} maxDiscarded at most this many rounds are repeated per caller
 * @property {number} repeatBudgetS and only while the benchmark has run for less than this many seconds
 * @property {string | null} output JSON file, or null for none
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 10_000,
  extraFlags: 90,
  connections: 50,
  durationS: 4,
  rounds: 5,
  warmupS: 3,
  pauseMs: 500,
  checkTenants: 0,
  cpuProfile: 'auto',
  profileRounds: 2,
  targetRatio: 0.8,
  maxOtherCpuPct: 10,
  maxDiscarded: 3,
  repeatBudgetS: 120,
  output: fileURLToPath(new URL('../results/http.json', import.meta.url)),
};

/** Options from the environment (BENCH_HTTP_TENANTS, BENCH_HTTP_DURATION, BENCH_CPU_PROF=auto|1|0, ...). */
export function optionsFromEnv(env = process.env) {
  /** @type {Partial<Options>} */
  const o = {};
  if (env.BENCH_HTTP_TENANTS) o.tenants = Number(env.BENCH_HTTP_TENANTS);
  if (env.BENCH_HTTP_CONNECTIONS) o.connections = Number(env.BENCH_HTTP_CONNECTIONS);
  if (env.BENCH_HTTP_DURATION) o.durationS = Number(env.BENCH_HTTP_DURATION);
  if (env.BENCH_HTTP_ROUNDS) o.rounds = Number(env.BENCH_HTTP_ROUNDS);
  if (env.BENCH_HTTP_WARMUP) o.warmupS = Number(env.BENCH_HTTP_WARMUP);
  if (env.BENCH_CPU_PROF) o.cpuProfile = env.BENCH_CPU_PROF === '1' ? 'always' : env.BENCH_CPU_PROF === '0' ? 'never' : 'auto';
  return o;
}

// ------------------------------------------------------------------ the load generator

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
    const timer = setTimeout(() => reject(new Error(`the load worker did not start:\n${handle.output()}`)), 30_000);
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
    for (const p of pending.values()) p.reject(new Error(`the load worker exited (${code ?? signal}):\n${handle.output()}`));
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

// ------------------------------------------------------------------ setup

/**
 * @typedef {object} Seeded
 * @property {EvaluationContext[]} tenants every tenant the API knows, Alice's last
 * @property {string} aliceSlug
 * @property {FlagDefinition[]} flags as the API holds them (GET /flags)
 * @property {Record<string, number>} states flags per state
 * @property {number} setupMs
 * @property {number} visibleMs from the revision bump until the API's snapshot held every tenant
 */

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
  const aliceSlug = 'alice-bench';
  expectStatus(
    await stack.call('POST', '/tenants', { token: stack.tokens.alice, body: { slug: aliceSlug, name: 'Alice Bench GmbH', plan: 'business' } }),
    201,
    'POST /tenants (Alice)',
  );
  expectStatus(
    await stack.call('PATCH', `/tenants/${aliceSlug}`, { token: stack.tokens.admin, body: { partnerId: partnerIds.get('northwind') } }),
    200,
    `PATCH /tenants/${aliceSlug}`,
  );
  await bumpRevision(stack);
  const visibleMs = await waitForTenants(stack, 'webmail_dark_mode', tenants.length + 1);

  // The flags and Alice's tenant as the API holds them.
  const list = expectStatus(await stack.call('GET', '/flags', { token: stack.tokens.admin }), 200, 'GET /flags').body;
  /** @type {FlagDefinition[]} */
  const apiHeld = /** @type {Array<FlagDefinition>} */ (list.items).map((f) => ({ key: f.key, state: f.state, pct: f.pct, scope: f.scope }));
  const aliceDoc = await stack.db.collection('tenants').findOne({ slug: aliceSlug });
  if (!aliceDoc) throw new Error('Alice\u2019s tenant is missing');
  const all = tenants.map((t) => ({ ...t, environment: 'production' }));
  all.push({ tenantId: aliceDoc._id.toHexString(), tenantSlug: aliceSlug, plan: 'business', partnerSlug: 'northwind', environment: 'production' });
  /** @type {Record<string, number>} */
  const states = {};
  for (const f of apiHeld) states[f.state] = (states[f.state] ?? 0) + 1;
  log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${apiHeld.length} flags, ${fmtInt(all.length)} tenants (visible to the API ${(visibleMs / 1000).toFixed(1)} s after the bump)`);
  return { tenants: all, aliceSlug, flags: apiHeld, states, setupMs: Date.now() - started, visibleMs };
}

/**
 * The API's evaluation of every tenant (`count` = 0) or of `count` spread over all (Alice's
 * always included), against flags-core's evaluateAll on the flags the API holds.
 * (The API computes every rollout flag's bucket column when its snapshot is built, so this
 * warms the code paths, not the buckets.)
 * @param {Stack} stack
 * @param {Seeded} seeded
 * @param {number} count
 * @param {number} concurrency
 */
async function checkEvaluations(stack, seeded, count, concurrency = 8) {
  const n = seeded.tenants.length;
  /** @type {number[]} */
  let picks;
  if (count <= 0 || count >= n) picks = Array.from({ length: n }, (_, i) => i);
  else {
    const set = new Set([n - 1]);
    for (let i = 0; i < count - 1; i++) set.add(Math.floor((i * n) / count));
    picks = [...set];
  }
  const started = Date.now();
  let answers = 0;
  /** @type {string[]} */
  const mismatches = [];
  let next = 0;
  const workerLoop = async () => {
    while (next < picks.length) {
      const ctx = /** @type {EvaluationContext} */ (seeded.tenants[/** @type {number} */ (picks[next++])]);
      const res = expectStatus(await stack.call('POST', '/flags/evaluate', { token: stack.tokens.admin, body: { tenantSlug: ctx.tenantSlug } }), 200, `evaluate ${ctx.tenantSlug}`);
      const expected = evaluateAll(seeded.flags, ctx);
      const got = /** @type {Record<string, boolean>} */ (res.body);
      if (Object.keys(got).length !== seeded.flags.length) mismatches.push(`${ctx.tenantSlug}: ${Object.keys(got).length} keys, expected ${seeded.flags.length}`);
      for (const [key, value] of Object.entries(expected)) {
        answers++;
        if (got[key] !== value && mismatches.length < 20) mismatches.push(`${ctx.tenantSlug} ${key}: API ${String(got[key])}, flags-core ${value}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, workerLoop));
  return { tenants: picks.length, answers, mismatches, seconds: (Date.now() - started) / 1000 };
}

// ------------------------------------------------------------------ measuring

/**
 * @typedef {object} Run
 * @property {'ping' | 'evaluate'} endpoint
 * @property {string} phase warmup, round-1, ...
 * @property {LoadResult} load
 * @property {number} apiCpuMs CPU time of the API process during the run
 * @property {number} mongoCpuMs CPU time of mongo-wire during the run
 * @property {number} machineCpuMs CPU time of the whole machine (all processes) during the run
 * @property {number} wallMs
 */

/**
 * @typedef {object} EndpointSummary
 * @property {'ping' | 'evaluate'} endpoint
 * @property {string} route
 * @property {number} reqPerSec median over the rounds
 * @property {number} p50Ms median over the rounds
 * @property {number} p99Ms median over the rounds
 * @property {number} errors connection errors + timeouts, all rounds
 * @property {number} non2xx all rounds
 * @property {number} apiCpuUsPerReq median over the rounds: the API's CPU time per request
 * @property {number} mongoCpuUsPerReq
 * @property {number} workerCpuUsPerReq autocannon's CPU time per request
 * @property {number} cpuBusyPct median over the rounds: CPU used by API + mongo-wire + autocannon, as a share of all cores
 * @property {number} otherCpuPct median over the rounds: CPU used by every other process on the machine (this one, the dev IdP, anything else), as a share of all cores
 * @property {number[]} reqPerSecRounds
 */

/**
 * @typedef {object} ProfileResult
 * @property {'ping' | 'evaluate'} endpoint
 * @property {string[]} files one .cpuprofile per window
 * @property {number} requests over all windows
 * @property {number} reqPerSec under the profiler, median window
 * @property {import('./cpu-profile.mjs').ProfileSummary} summary
 */

/**
 * @typedef {object} ScenarioResult
 * @property {string} id
 * @property {string} caller
 * @property {string} evaluates
 * @property {EndpointSummary} ping
 * @property {EndpointSummary} evaluate
 * @property {number[]} ratioRounds evaluate/ping per round
 * @property {number} ratio median of ratioRounds
 * @property {boolean} met
 * @property {number} discarded rounds repeated because other processes took CPU
 * @property {Run[]} runs
 * @property {ProfileResult[]} profiles
 */

/**
 * CPU taken by every other process on the machine during a run, as a share of all cores.
 * @param {Run} r
 */
function otherPct(r) {
  return (Math.max(0, r.machineCpuMs - r.apiCpuMs - r.mongoCpuMs - r.load.workerCpuMs) / (r.wallMs * os.cpus().length)) * 100;
}

/**
 * @param {'ping' | 'evaluate'} endpoint
 * @param {Run[]} runs the measured rounds for this endpoint
 * @param {string} route
 * @returns {EndpointSummary}
 */
function summarize(endpoint, runs, route) {
  const cores = os.cpus().length;
  return {
    endpoint,
    route,
    reqPerSec: median(runs.map((r) => r.load.reqPerSec)),
    p50Ms: median(runs.map((r) => r.load.latencyMs.p50)),
    p99Ms: median(runs.map((r) => r.load.latencyMs.p99)),
    errors: runs.reduce((a, r) => a + r.load.errors + r.load.timeouts, 0),
    non2xx: runs.reduce((a, r) => a + r.load.non2xx, 0),
    apiCpuUsPerReq: median(runs.map((r) => (r.apiCpuMs * 1000) / r.load.requests)),
    mongoCpuUsPerReq: median(runs.map((r) => (r.mongoCpuMs * 1000) / r.load.requests)),
    workerCpuUsPerReq: median(runs.map((r) => (r.load.workerCpuMs * 1000) / r.load.requests)),
    cpuBusyPct: median(runs.map((r) => ((r.apiCpuMs + r.mongoCpuMs + r.load.workerCpuMs) / (r.wallMs * cores)) * 100)),
    otherCpuPct: median(runs.map(otherPct)),
    reqPerSecRounds: runs.map((r) => r.load.reqPerSec),
  };
}

/**
 * @param {Stack} stack
 * @param {LoadWorker} worker
 * @param {Options} options
 * @param {{ id: string, caller: string, evaluates: string, token: string, bodies: string[] }} scenario
 * @param {number} deadline disturbed rounds are no longer repeated after this time (ms since the epoch)
 * @param {(line: string) => void} log
 * @returns {Promise<ScenarioResult>}
 */
async function runScenario(stack, worker, options, scenario, deadline, log) {
  /** @type {Record<'ping' | 'evaluate', Omit<LoadOptions, 'title' | 'durationS'>>} */
  const loads = {
    ping: { url: stack.apiUrl, method: 'GET', path: '/ping', headers: { authorization: `Bearer ${scenario.token}` }, connections: options.connections },
    evaluate: {
      url: stack.apiUrl,
      method: 'POST',
      path: '/flags/evaluate',
      headers: { authorization: `Bearer ${scenario.token}`, 'content-type': 'application/json' },
      bodies: scenario.bodies,
      connections: options.connections,
    },
  };
  // One of each by hand first: both must answer 200 with what they should.
  const ping = expectStatus(await stack.call('GET', '/ping', { token: scenario.token }), 200, `${scenario.id}: GET /ping`);
  if (ping.body?.ok !== true) throw new Error(`${scenario.id}: GET /ping answered ${JSON.stringify(ping.body)}`);
  const first = JSON.parse(/** @type {string} */ (scenario.bodies[0]));
  const ev = expectStatus(await stack.call('POST', '/flags/evaluate', { token: scenario.token, body: first }), 200, `${scenario.id}: POST /flags/evaluate`);
  if (Object.keys(ev.body ?? {}).length < 1) throw new Error(`${scenario.id}: evaluate answered ${JSON.stringify(ev.body)}`);

  /**
   * @param {'ping' | 'evaluate'} endpoint
   * @param {string} phase
   * @param {number} durationS
   * @returns {Promise<Run>}
   */
  const measure = async (endpoint, phase, durationS) => {
    const api0 = processCpuMs(stack.pids.api);
    const mongo0 = processCpuMs(stack.pids.mongo);
    const machine0 = machineBusyCpuMs();
    const t0 = performance.now();
    const load = await worker.run({ ...loads[endpoint], title: `${scenario.id} ${endpoint} ${phase}`, durationS });
    const wallMs = performance.now() - t0;
    const run = {
      endpoint,
      phase,
      load,
      apiCpuMs: processCpuMs(stack.pids.api) - api0,
      mongoCpuMs: processCpuMs(stack.pids.mongo) - mongo0,
      machineCpuMs: machineBusyCpuMs() - machine0,
      wallMs,
    };
    log(
      `    ${scenario.id.padEnd(8)} ${phase.padEnd(8)} ${endpoint.padEnd(8)} ${fmtInt(load.reqPerSec).padStart(7)} req/s  p50 ${fmtNum(load.latencyMs.p50)} ms  p99 ${fmtNum(load.latencyMs.p99)} ms` +
        `  errors ${load.errors + load.timeouts}  non-2xx ${load.non2xx}`,
    );
    await new Promise((r) => setTimeout(r, options.pauseMs));
    return run;
  };

  /** @type {Run[]} */
  const runs = [];
  runs.push(await measure('ping', 'warmup', options.warmupS));
  runs.push(await measure('evaluate', 'warmup', options.warmupS));
  /** @type {number[]} */
  const ratioRounds = [];
  // A round during which other processes took a noticeable share of the CPU (another job on a
  // shared machine) is repeated, a bounded number of times; the discarded ones stay in the JSON.
  let discarded = 0;
  for (let round = 1, accepted = 0; accepted < options.rounds; round++) {
    /** @type {Array<'ping' | 'evaluate'>} */
    const order = round % 2 === 1 ? ['ping', 'evaluate'] : ['evaluate', 'ping'];
    /** @type {Partial<Record<'ping' | 'evaluate', Run>>} */
    const pair = {};
    for (const endpoint of order) {
      const run = await measure(endpoint, `round-${round}`, options.durationS);
      pair[endpoint] = run;
      runs.push(run);
    }
    const p = /** @type {Run} */ (pair.ping);
    const e = /** @type {Run} */ (pair.evaluate);
    const canRepeat = discarded < options.maxDiscarded && Date.now() < deadline;
    if (Math.max(otherPct(p), otherPct(e)) > options.maxOtherCpuPct && canRepeat) {
      discarded++;
      p.phase = e.phase = `discarded-${round}`;
      log(`    ${scenario.id.padEnd(8)} round ${round} discarded: other processes took ${fmtInt(Math.max(otherPct(p), otherPct(e)))}% of the CPU`);
      continue;
    }
    accepted++;
    ratioRounds.push(e.load.reqPerSec / p.load.reqPerSec);
  }
  const measured = runs.filter((r) => r.phase.startsWith('round-'));
  const ratio = median(ratioRounds);
  return {
    id: scenario.id,
    caller: scenario.caller,
    evaluates: scenario.evaluates,
    ping: summarize('ping', measured.filter((r) => r.endpoint === 'ping'), 'GET /ping'),
    evaluate: summarize('evaluate', measured.filter((r) => r.endpoint === 'evaluate'), 'POST /flags/evaluate'),
    ratioRounds,
    ratio,
    met: ratio >= options.targetRatio,
    discarded,
    runs,
    profiles: [],
  };
}

/**
 * Profiled windows after the measured rounds (so the profiler never slows them): the API's CPU
 * profile while autocannon drives one endpoint, `profileRounds` windows per endpoint, the
 * order alternating; the windows of an endpoint are added up.
 * @param {Stack} stack
 * @param {LoadWorker} worker
 * @param {Options} options
 * @param {ScenarioResult} result
 * @param {{ token: string, bodies: string[] }} scenario
 * @param {string} dir
 * @param {(line: string) => void} log
 */
async function profileScenario(stack, worker, options, result, scenario, dir, log) {
  /** @type {Record<'ping' | 'evaluate', { files: string[], requests: number, rates: number[], summaries: import('./cpu-profile.mjs').ProfileSummary[] }>} */
  const acc = { ping: { files: [], requests: 0, rates: [], summaries: [] }, evaluate: { files: [], requests: 0, rates: [], summaries: [] } };
  for (let w = 1; w <= options.profileRounds; w++) {
    /** @type {Array<'ping' | 'evaluate'>} */
    const order = w % 2 === 1 ? ['ping', 'evaluate'] : ['evaluate', 'ping'];
    for (const endpoint of order) {
      const file = path.join(dir, `http-${result.id}-${endpoint}-${w}.cpuprofile`);
      await stack.startProfile(file);
      const load = await worker.run({
        title: `${result.id} ${endpoint} profiled ${w}`,
        url: stack.apiUrl,
        connections: options.connections,
        durationS: options.durationS,
        ...(endpoint === 'ping'
          ? { method: 'GET', path: '/ping', headers: { authorization: `Bearer ${scenario.token}` } }
          : { method: 'POST', path: '/flags/evaluate', headers: { authorization: `Bearer ${scenario.token}`, 'content-type': 'application/json' }, bodies: scenario.bodies }),
      });
      await stack.stopProfile();
      const a = acc[endpoint];
      a.files.push(file);
      a.requests += load.requests;
      a.rates.push(load.reqPerSec);
      a.summaries.push(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top: 40 }));
      log(`    ${result.id.padEnd(8)} profile  ${endpoint.padEnd(8)} ${fmtInt(load.reqPerSec).padStart(7)} req/s under the profiler -> ${path.basename(file)}`);
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  }
  for (const endpoint of /** @type {const} */ (['ping', 'evaluate'])) {
    const a = acc[endpoint];
    result.profiles.push({ endpoint, files: a.files, requests: a.requests, reqPerSec: median(a.rates), summary: mergeSummaries(a.summaries, { top: 20 }) });
  }
}

// ------------------------------------------------------------------ report

/**
 * @param {ScenarioResult[]} scenarios
 * @param {Options} options
 * @param {{ seeded: Seeded, check: { tenants: number, answers: number, mismatches: string[] }, workerPid: number, autocannon: string }} ctx
 */
export function formatReport(scenarios, options, ctx) {
  const lines = [''];
  const states = Object.entries(ctx.seeded.states)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push(
    `HTTP: ${options.rounds} interleaved rounds of ${options.durationS} s per endpoint (after a ${options.warmupS} s warm-up of each), ` +
      `${options.connections} connections; figures are the median round`,
  );
  lines.push(`  data: ${ctx.seeded.flags.length} flags (${states}); ${fmtInt(ctx.seeded.tenants.length)} tenants; APP_ENV=production`);
  const rows = [];
  for (const s of scenarios) {
    for (const e of [s.ping, s.evaluate]) {
      rows.push([
        s.id,
        e.route,
        fmtInt(e.reqPerSec),
        fmtNum(e.p50Ms),
        fmtNum(e.p99Ms),
        String(e.errors),
        String(e.non2xx),
        fmtInt(e.apiCpuUsPerReq),
        fmtInt(e.mongoCpuUsPerReq),
        fmtInt(e.workerCpuUsPerReq),
        `${fmtInt(e.cpuBusyPct)}%`,
        `${fmtInt(e.otherCpuPct)}%`,
        e.endpoint === 'evaluate' ? `${fmtRatio(s.ratio)} ${s.met ? 'MET' : 'NOT MET'}` : '',
      ]);
    }
  }
  lines.push(
    ...table(
      ['caller', 'endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'API CPU us/req', 'mongo us/req', 'autocannon us/req', 'CPU ours', 'CPU others', `evaluate/ping (>= ${options.targetRatio})`],
      rows,
    ),
  );
  lines.push('');
  lines.push('  req/s per round (ping / evaluate = ratio):');
  for (const s of scenarios) {
    const parts = s.ratioRounds.map((r, i) => `${fmtInt(s.ping.reqPerSecRounds[i] ?? NaN)} / ${fmtInt(s.evaluate.reqPerSecRounds[i] ?? NaN)} = ${fmtRatio(r)}`);
    lines.push(`    ${s.id.padEnd(8)} ${parts.join('   ')}${s.discarded > 0 ? `   (${s.discarded} disturbed round(s) repeated)` : ''}`);
  }
  for (const s of scenarios) lines.push(`  ${s.id}: ${s.caller}; evaluate body: ${s.evaluates}`);
  const others = Math.max(...scenarios.flatMap((s) => [s.ping.otherCpuPct, s.evaluate.otherCpuPct]));
  if (others > 5) {
    lines.push(`  WARNING: other processes took up to ${fmtInt(others)}% of the machine's CPU in the median round: the figures are disturbed; run again on a quiet machine`);
  }
  lines.push(
    `  load: autocannon ${ctx.autocannon} in a forked child process (pid ${ctx.workerPid}), pipelining 1, on the same ${os.cpus().length} cores as the API and mongo-wire ` +
      `(nothing pinned); CPU us/req = each process's CPU time (/proc) during the round / requests; CPU ours = those three / (wall x cores); ` +
      'CPU others = every other process on the machine, same scale',
  );
  lines.push(
    `  correctness: ${fmtInt(ctx.check.tenants)} tenants' evaluations (${fmtInt(ctx.check.answers)} answers) checked against @dezky/flags-core before the load ` +
      `(which also warmed the API, as in a long-running one): ${ctx.check.mismatches.length} mismatches`,
  );
  for (const s of scenarios) {
    const ping = s.profiles.find((p) => p.endpoint === 'ping');
    const evaluate = s.profiles.find((p) => p.endpoint === 'evaluate');
    if (!ping || !evaluate) continue;
    lines.push('');
    lines.push(
      `  CPU profile of the API's main thread, ${s.id}: ${options.profileRounds} extra ${options.durationS} s windows per endpoint under the profiler, after the rounds ` +
        `(median ${fmtInt(ping.reqPerSec)} / ${fmtInt(evaluate.reqPerSec)} req/s); us per request; a sample counts for the deepest library frame on its stack`,
    );
    const perReq = (/** @type {ProfileResult} */ p) => new Map(p.summary.components.map((c) => [c.component, (c.ms * 1000) / p.requests]));
    const a = perReq(ping);
    const b = perReq(evaluate);
    const comps = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => (b.get(y) ?? 0) - (b.get(x) ?? 0));
    const crow = comps.map((c) => [c, fmtNum(a.get(c) ?? 0, 0), fmtNum(b.get(c) ?? 0, 0), fmtNum((b.get(c) ?? 0) - (a.get(c) ?? 0), 0)]);
    const busy = (/** @type {ProfileResult} */ p) => (p.summary.busyMs * 1000) / p.requests;
    crow.push(['total, not idle', fmtNum(busy(ping), 0), fmtNum(busy(evaluate), 0), fmtNum(busy(evaluate) - busy(ping), 0)]);
    lines.push(...table(['component', 'ping', 'evaluate', 'evaluate - ping'], crow).map((l) => `    ${l}`));
    lines.push('    evaluate, top functions by self time (us/req):');
    for (const f of evaluate.summary.functions.filter((x) => x.name !== '(idle)').slice(0, 10)) {
      lines.push(`      ${fmtNum((f.selfMs * 1000) / evaluate.requests).padStart(6)}  ${f.name}${f.where ? `  ${f.where}` : ''}`);
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

/**
 * Run benchmark 2. Throws when any request failed (errors, timeouts, non-2xx), when the API's
 * evaluations disagree with flags-core, or when anything tried to leave the machine.
 * @param {Partial<Options>} [overrides]
 */
export async function main(overrides = {}) {
  /** @type {Options} */
  const options = { ...DEFAULTS, ...optionsFromEnv(), ...overrides };
  const log = (/** @type {string} */ line) => console.log(line);
  const guard = installNetGuard();
  const started = Date.now();
  /** @type {Stack | null} */
  let stack = null;
  /** @type {LoadWorker | null} */
  let worker = null;
  try {
    log(`bench http: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'})`);
    stack = await startStack({ log });
    const seeded = await seed(stack, options, log);
    const check = await checkEvaluations(stack, seeded, options.checkTenants);
    log(`  checked ${fmtInt(check.tenants)} tenants (${fmtInt(check.answers)} answers) against @dezky/flags-core in ${check.seconds.toFixed(1)} s: ${check.mismatches.length} mismatches`);
    if (check.mismatches.length > 0) throw new Error(`the API's evaluations disagree with @dezky/flags-core:\n  ${check.mismatches.join('\n  ')}`);

    worker = await startLoadWorker();
    const scenarios = [
      {
        id: 'operator',
        caller: 'admin@dezky.test with an operator token (aud dezky-operator, platform admin)',
        evaluates: `every tenant in turn (${fmtInt(seeded.tenants.length)} slugs; connection k cycles through its own 1/${options.connections})`,
        token: stack.tokens.admin,
        bodies: seeded.tenants.map((t) => JSON.stringify({ tenantSlug: t.tenantSlug })),
      },
      {
        id: 'portal',
        caller: 'alice@customer.test with a portal token (aud dezky-portal, owner of her tenant)',
        evaluates: `her own tenant (${seeded.aliceSlug})`,
        token: stack.tokens.alice,
        bodies: [JSON.stringify({ tenantSlug: seeded.aliceSlug })],
      },
    ];
    /** @type {ScenarioResult[]} */
    const results = [];
    // Repeating disturbed rounds stops after this, so a busy machine cannot stretch the run much.
    const deadline = started + options.repeatBudgetS * 1000;
    for (const scenario of scenarios) results.push(await runScenario(stack, worker, options, scenario, deadline, log));

    const wantProfile = options.cpuProfile === 'always' || (options.cpuProfile === 'auto' && results.some((r) => !r.met));
    if (wantProfile && options.output) {
      const dir = path.dirname(options.output);
      mkdirSync(dir, { recursive: true });
      for (const [i, r] of results.entries()) {
        const sc = /** @type {(typeof scenarios)[number]} */ (scenarios[i]);
        if (options.cpuProfile === 'always' || !r.met) await profileScenario(stack, worker, options, r, sc, dir, log);
      }
    }

    await new Promise((r) => setTimeout(r, 600)); // the API's net log is flushed every 500 ms
    const apiNetwork = stack.apiNetwork();
    const report = formatReport(results, options, { seeded, check, workerPid: worker.pid, autocannon: packageVersion('autocannon') });
    log(report);

    const failures = [];
    for (const r of results) {
      for (const run of r.runs) {
        const bad = run.load.errors + run.load.timeouts + run.load.non2xx;
        if (bad > 0) failures.push(`${run.load.title}: ${run.load.errors} errors, ${run.load.timeouts} timeouts, ${run.load.non2xx} non-2xx (${JSON.stringify(run.load.statusCodes)})`);
        if (run.load.connectionsRefused > 0) failures.push(`${run.load.title}: the load worker tried to leave the machine`);
      }
    }
    const outside = [...guard.connections, ...(apiNetwork?.connections ?? [])].filter((c) => !/^(127\.|localhost|::1|\[::1\])/.test(c));
    if (guard.blocked.length > 0 || (apiNetwork?.blocked.length ?? 0) > 0 || outside.length > 0) {
      failures.push(`network: blocked ${[...guard.blocked, ...(apiNetwork?.blocked ?? [])].join(', ')}; outside loopback: ${outside.join(', ')}`);
    }
    if (!apiNetwork) failures.push('the API preload wrote no network log');
    log('');
    log(
      `network: this process ${guard.connections.length} connection(s), the API ${apiNetwork?.connections.length ?? '?'} connection(s), ` +
        `all to 127.0.0.1; ${guard.blocked.length + (apiNetwork?.blocked.length ?? 0)} blocked`,
    );

    const json = {
      benchmark: 'http',
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      autocannon: packageVersion('autocannon'),
      options,
      seconds: (Date.now() - started) / 1000,
      warnings: stack.warnings,
      data: { flags: seeded.flags.length, states: seeded.states, tenants: seeded.tenants.length, setupMs: seeded.setupMs, visibleMs: seeded.visibleMs },
      check,
      network: { bench: { connections: guard.connections.length, blocked: guard.blocked }, api: apiNetwork },
      ok: failures.length === 0,
      failures,
      scenarios: results.map((r) => ({ ...r, profiles: r.profiles.map((p) => ({ ...p, summary: { ...p.summary, inclusive: p.summary.inclusive.slice(0, 30) } })) })),
    };
    if (options.output) {
      mkdirSync(path.dirname(options.output), { recursive: true });
      writeFileSync(options.output, `${JSON.stringify(json, null, 2)}\n`);
      log(`wrote ${options.output} (${json.seconds.toFixed(1)} s in all)`);
    }
    if (failures.length > 0) throw new Error(`http benchmark FAILED:\n  ${failures.join('\n  ')}`);
    return { scenarios: results };
  } finally {
    await worker?.close().catch(() => undefined);
    await stack?.stop();
    guard.uninstall();
  }
}

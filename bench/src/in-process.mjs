// Benchmark 1: in-process evaluate-all (one tenant, every flag) with @dezky/flags-core against
// flagd's evaluator, GrowthBook and Unleash, on the same flags translated to each one's format.
//
// Per flag-set size: build every engine; one full pass over all tenants cross-checks each
// engine against ours (and warms them all up); then timed rounds, interleaved (every engine
// once per round, the starting engine rotating), each on the same slice of tenants. The
// reported figure is the median round; ratios are the median of the per-round ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createEngines } from './engines.mjs';
import { crossCheck } from './cross-check.mjs';
import { makeFlags, makeTenants } from './fixtures.mjs';
import { runFacts, startRun } from './run-report.mjs';

/** @typedef {import('./engines.mjs').Engine} Engine */
/** @typedef {import('./cross-check.mjs').CrossCheckResult} CrossCheckResult */

/**
 * @typedef {object} Options
 * @property {number} tenants
 * @property {number[]} sizes flag-set sizes
 * @property {number} rounds timed rounds per size
 * @property {number} tenantsPerRound tenants each engine evaluates per round (the same ones for every engine)
 * @property {number} minSampleMs a fast engine repeats its slice until one sample takes at least this long
 * @property {string | null} output JSON file, or null for none
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 10_000,
  sizes: [50, 500],
  rounds: 15,
  tenantsPerRound: 500,
  minSampleMs: 25,
  output: new URL('../results/in-process.json', import.meta.url).pathname,
};

/** Options from the environment (BENCH_TENANTS, BENCH_SIZES=50,500, BENCH_ROUNDS, ...). */
export function optionsFromEnv(env = process.env) {
  /** @type {Partial<Options>} */
  const o = {};
  if (env.BENCH_TENANTS) o.tenants = Number(env.BENCH_TENANTS);
  if (env.BENCH_SIZES) o.sizes = env.BENCH_SIZES.split(',').map(Number);
  if (env.BENCH_ROUNDS) o.rounds = Number(env.BENCH_ROUNDS);
  if (env.BENCH_TENANTS_PER_ROUND) o.tenantsPerRound = Number(env.BENCH_TENANTS_PER_ROUND);
  if (env.BENCH_MIN_SAMPLE_MS) o.minSampleMs = Number(env.BENCH_MIN_SAMPLE_MS);
  return o;
}

/** Keeps results alive so no call can be optimised away. */
let sink = /** @type {unknown} */ (null);
let sinkCount = 0;

/**
 * Time `reps` passes of `engine.evaluateAll` over `contexts`; ns per call.
 * @param {Engine} engine
 * @param {readonly unknown[]} contexts
 * @param {number} reps
 */
function timeSlice(engine, contexts, reps) {
  const run = engine.evaluateAll;
  const n = contexts.length;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) sink = run(contexts[i]);
  }
  const elapsed = Number(process.hrtime.bigint() - t0);
  if (sink !== null) sinkCount++;
  return elapsed / (n * reps);
}

/** @param {number[]} values */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? /** @type {number} */ (s[mid]) : (/** @type {number} */ (s[mid - 1]) + /** @type {number} */ (s[mid])) / 2;
}

/** @param {number[]} values @param {number} q 0..1 */
function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return /** @type {number} */ (s[lo]) + (/** @type {number} */ (s[hi]) - /** @type {number} */ (s[lo])) * (pos - lo);
}

/**
 * @typedef {object} EngineResult
 * @property {string} id
 * @property {string} name
 * @property {string} version
 * @property {boolean} ours
 * @property {string} how
 * @property {number} reps slice repetitions per sample
 * @property {number[]} samplesNs ns per evaluate-all, one per round
 * @property {number} medianNs
 * @property {number} p25Ns
 * @property {number} p75Ns
 * @property {number} nsPerFlag
 */

/**
 * @typedef {object} SizeResult
 * @property {number} flags
 * @property {Record<string, number>} states flags per state
 * @property {EngineResult[]} engines
 * @property {Record<string, Record<string, number>>} ratios ours id -> other id -> median of per-round (ours / other)
 * @property {Record<string, number>} ratioToFastestOther ours id -> median of per-round (ours / fastest other that round)
 * @property {string} fastestOther the other engine with the lowest median
 * @property {Record<string, number>} coldNs ours id -> ns per evaluate-all with a fresh bucket store (first pass over the tenants)
 * @property {CrossCheckResult} crossCheck
 * @property {number} seconds
 */

/**
 * Run the benchmark for one flag-set size.
 * @param {number} size
 * @param {import('@dezky/flags-core').EvaluationContext[]} tenants
 * @param {Options} options
 * @param {(line: string) => void} log
 * @returns {Promise<SizeResult>}
 */
async function runSize(size, tenants, options, log) {
  const started = Date.now();
  const flags = makeFlags(size, tenants);
  /** @type {Record<string, number>} */
  const states = {};
  for (const f of flags) states[f.state] = (states[f.state] ?? 0) + 1;
  const engines = await createEngines(flags);
  try {
    const natives = engines.map((e) => tenants.map((t) => e.context(t)));

    // Warm-up, two full passes over every tenant for every engine. The first is the
    // cross-check; for ours it also fills each engine's bucket store (every tenant has a slot,
    // and each rollout bucket is computed into it the first time it is needed).
    const check = crossCheck(flags, tenants, engines, natives);
    log(`  ${size} flags: cross-checked ${check.exactChecks.toLocaleString('en-US')} exact answers per engine`);
    engines.forEach((engine, e) => timeSlice(engine, /** @type {unknown[]} */ (natives[e]), 1));

    // Calibrate: a fast engine repeats its slice so one sample lasts at least minSampleMs.
    const slice = Math.min(options.tenantsPerRound, tenants.length);
    const reps = engines.map((engine, e) => {
      const contexts = /** @type {unknown[]} */ (natives[e]).slice(0, slice);
      timeSlice(engine, contexts, 1); // one more warm pass on this shape
      const ns = timeSlice(engine, contexts, 1);
      const sliceMs = (ns * slice) / 1e6;
      return Math.max(1, Math.min(200, Math.ceil(options.minSampleMs / Math.max(sliceMs, 1e-3))));
    });

    /** @type {number[][]} */
    const samples = engines.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      const start = (round * slice) % tenants.length;
      const end = Math.min(start + slice, tenants.length);
      for (let k = 0; k < engines.length; k++) {
        const e = (round + k) % engines.length; // rotate who goes first
        const contexts = /** @type {unknown[]} */ (natives[e]).slice(start, end);
        /** @type {number[]} */ (samples[e]).push(timeSlice(/** @type {Engine} */ (engines[e]), contexts, /** @type {number} */ (reps[e])));
      }
    }

    /** @type {EngineResult[]} */
    const results = engines.map((engine, e) => {
      const s = /** @type {number[]} */ (samples[e]);
      const medianNs = median(s);
      return {
        id: engine.id,
        name: engine.name,
        version: engine.version,
        ours: engine.ours,
        how: engine.how,
        reps: /** @type {number} */ (reps[e]),
        samplesNs: s.map((x) => Math.round(x)),
        medianNs,
        p25Ns: quantile(s, 0.25),
        p75Ns: quantile(s, 0.75),
        nsPerFlag: medianNs / size,
      };
    });

    const oursIdx = engines.map((e, i) => (e.ours ? i : -1)).filter((i) => i >= 0);
    const otherIdx = engines.map((e, i) => (e.ours ? -1 : i)).filter((i) => i >= 0);
    /** @type {Record<string, Record<string, number>>} */
    const ratios = {};
    /** @type {Record<string, number>} */
    const ratioToFastestOther = {};
    for (const o of oursIdx) {
      const os_ = /** @type {number[]} */ (samples[o]);
      const id = /** @type {Engine} */ (engines[o]).id;
      ratios[id] = {};
      for (const t of otherIdx) {
        const ts = /** @type {number[]} */ (samples[t]);
        /** @type {Record<string, number>} */ (ratios[id])[/** @type {Engine} */ (engines[t]).id] = median(os_.map((x, r) => x / /** @type {number} */ (ts[r])));
      }
      ratioToFastestOther[id] = median(
        os_.map((x, r) => x / Math.min(...otherIdx.map((t) => /** @type {number} */ (/** @type {number[]} */ (samples[t])[r])))),
      );
    }
    // Informational: ours with a fresh bucket store (a cold start: one SHA-256 per eligible
    // rollout flag), on the first round's tenants. Measured after the interleaved rounds so it
    // cannot disturb them.
    /** @type {Record<string, number>} */
    const coldNs = {};
    for (const o of oursIdx) {
      const fresh = /** @type {Engine} */ (engines[o]).fresh?.();
      if (!fresh) continue;
      const contexts = tenants.slice(0, slice).map((t) => fresh.context(t));
      coldNs[fresh.id] = timeSlice(fresh, contexts, 1);
      fresh.close();
    }

    const fastestOther = otherIdx
      .map((t) => /** @type {EngineResult} */ (results[t]))
      .reduce((a, b) => (b.medianNs < a.medianNs ? b : a));

    return {
      flags: size,
      states,
      engines: results,
      ratios,
      ratioToFastestOther,
      fastestOther: fastestOther.id,
      coldNs,
      crossCheck: check,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const e of engines) e.close();
  }
}

/** @param {number} n */
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
/** @param {number} r */
const fmtRatio = (r) => `${r.toFixed(2)}x`;
/** @param {string} s @param {number} w */
const padL = (s, w) => s.padStart(w);
/** @param {string} s @param {number} w */
const padR = (s, w) => s.padEnd(w);

/**
 * The human-readable report.
 * @param {SizeResult[]} sizes
 * @param {Options} options
 */
export function formatReport(sizes, options) {
  const lines = [];
  lines.push('');
  lines.push(
    `In-process evaluate-all (one tenant, every flag): median of ${options.rounds} interleaved rounds, ` +
      `${options.tenantsPerRound} tenants per round, ${fmtInt(options.tenants)} tenants in all`,
  );
  const header =
    `${padR('flags', 6)}${padR('engine', 28)}${padR('version', 9)}${padL('ns/eval-all', 13)}${padL('p25..p75', 22)}` +
    `${padL('ns/flag', 9)}${padL('evaluateAll/this', 18)}${padL('compiled/this', 15)}`;
  lines.push(header);
  lines.push('-'.repeat(header.length));
  for (const size of sizes) {
    for (const e of size.engines) {
      const r1 = e.ours ? '' : fmtRatio(/** @type {number} */ (size.ratios['dezky']?.[e.id]));
      const r2 = e.ours ? '' : fmtRatio(/** @type {number} */ (size.ratios['dezky-compiled']?.[e.id]));
      lines.push(
        `${padR(String(size.flags), 6)}${padR(e.name, 28)}${padR(e.version, 9)}${padL(fmtInt(e.medianNs), 13)}` +
          `${padL(`${fmtInt(e.p25Ns)}..${fmtInt(e.p75Ns)}`, 22)}${padL(e.nsPerFlag.toFixed(1), 9)}${padL(r1, 18)}${padL(r2, 15)}`,
      );
    }
    lines.push('');
  }
  lines.push('Target: ours <= 0.5x the fastest other engine (median of per-round ratios)');
  for (const size of sizes) {
    const fastest = size.engines.find((e) => e.id === size.fastestOther);
    const parts = Object.entries(size.ratioToFastestOther).map(
      ([id, r]) => `${id === 'dezky' ? 'evaluateAll' : 'evaluateAllCompiled'} ${fmtRatio(r)} ${r <= 0.5 ? 'MET' : 'NOT MET'}`,
    );
    lines.push(`  ${padL(String(size.flags), 4)} flags: fastest other = ${fastest?.name} (${fmtInt(fastest?.medianNs ?? 0)} ns); ${parts.join(', ')}`);
  }
  lines.push('');
  lines.push('Ours with a fresh bucket store (a cold start: one SHA-256 per eligible rollout flag), for reference');
  for (const size of sizes) {
    const parts = Object.entries(size.coldNs).map(([id, ns]) => `${id === 'dezky' ? 'evaluateAll' : 'evaluateAllCompiled'} ${fmtInt(ns)} ns`);
    lines.push(`  ${padL(String(size.flags), 4)} flags: ${parts.join(', ')}`);
  }
  lines.push('');
  lines.push('Cross-check against @dezky/flags-core (every tenant; exact = answers that do not depend on a rollout bucket)');
  for (const size of sizes) {
    const c = size.crossCheck;
    const mism = Object.entries(c.mismatchCount)
      .map(([id, n]) => `${id} ${n}`)
      .join(', ');
    lines.push(`  ${padL(String(size.flags), 4)} flags: ${fmtInt(c.exactChecks)} exact answers per engine; mismatches: ${mism}`);
  }
  lines.push('');
  lines.push('Rollout (0 < pct < 100), eligible tenants: share ON vs the pct-weighted expectation (each engine buckets its own way)');
  for (const size of sizes) {
    for (const [id, r] of Object.entries(size.crossCheck.rollout)) {
      lines.push(
        `  ${padL(String(size.flags), 4)} flags ${padR(id, 16)} ${r.flags} flags, ${fmtInt(r.eligible)} eligible pairs: ` +
          `${(r.share * 100).toFixed(2)}% ON (expected ${(r.expectedShare * 100).toFixed(2)}%), ` +
          `worst flag (>= ${r.minEligible} eligible) off by ${r.maxDeviationPp.toFixed(2)} pp, ${r.flagsBeyond4Sigma} flag(s) beyond 4 sigma`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Run benchmark 1. Throws (so the process exits non-zero) when any engine disagrees with ours
 * on an answer that does not depend on a rollout bucket, or when anything tried to leave the
 * machine.
 * @param {Partial<Options>} [overrides]
 * @returns {Promise<{ sizes: SizeResult[] }>}
 */
export async function main(overrides = {}) {
  const { options, log, guard, started } = startRun(DEFAULTS, optionsFromEnv(), overrides);
  try {
    log(`bench in-process: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), NODE_ENV=${process.env.NODE_ENV ?? ''}`);
    const tenants = makeTenants(options.tenants);
    /** @type {SizeResult[]} */
    const sizes = [];
    for (const size of options.sizes) sizes.push(await runSize(size, tenants, options, log));

    const report = formatReport(sizes, options);
    log(report);
    log('');
    log(`network: ${guard.connections.length} connection attempt(s), ${guard.lookups.length} DNS lookup(s), ${guard.blocked.length} blocked`);

    const failures = [];
    for (const size of sizes) {
      for (const [id, n] of Object.entries(size.crossCheck.mismatchCount)) {
        if (n > 0) failures.push(`${size.flags} flags: ${id} disagrees with ours on ${n} answer(s)`);
      }
    }
    if (guard.connections.length > 0 || guard.blocked.length > 0) {
      failures.push(`network used: ${[...guard.connections, ...guard.blocked].join(', ')}`);
    }

    const json = {
      ...runFacts('in-process'),
      nodeEnv: process.env.NODE_ENV ?? null,
      options,
      seconds: (Date.now() - started) / 1000,
      network: { connections: guard.connections, lookups: guard.lookups, blocked: guard.blocked },
      ok: failures.length === 0,
      failures,
      sizes,
    };
    if (options.output) {
      mkdirSync(new URL('.', `file://${options.output}`).pathname, { recursive: true });
      writeFileSync(options.output, `${JSON.stringify(json, null, 2)}\n`);
      log(`wrote ${options.output} (${json.seconds.toFixed(1)} s in all; sink ${sinkCount})`);
    }
    if (failures.length > 0) {
      const detail = sizes.flatMap((s) => s.crossCheck.mismatches.map((m) => `${s.flags} flags: ${JSON.stringify(m)}`));
      throw new Error(`in-process benchmark FAILED:\n  ${[...failures, ...detail].join('\n  ')}`);
    }
    return { sizes };
  } finally {
    guard.uninstall();
  }
}

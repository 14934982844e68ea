// What every benchmark's report has in common: the facts of the run, its options from the
// environment, its network verdict, and the JSON file it writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installNetGuard } from './net-guard.mjs';

/**
 * Which benchmark ran, when and on what: the head of every results/*.json.
 * @param {string} benchmark
 */
export function runFacts(benchmark) {
  return {
    benchmark,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
  };
}

/**
 * Numeric options from the environment, `{ BENCH_X: 'x' }`; a value that is not a number >= 0 stops the run.
 * @template {object} T
 * @param {NodeJS.ProcessEnv} env
 * @param {Record<string, keyof T>} names
 * @returns {Partial<T>}
 */
export function numbersFromEnv(env, names) {
  /** @type {Record<string, number>} */
  const o = {};
  for (const [name, key] of Object.entries(names)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v}: expected a number >= 0`);
    o[/** @type {string} */ (key)] = n;
  }
  return /** @type {Partial<T>} */ (o);
}

/** @typedef {{ connections: string[], blocked: string[] }} NetworkRecord */

/**
 * What this process's net guard and, when it ran one, the API's recorded: a failure for any
 * connection off loopback or any blocked attempt, and the line to print.
 * @param {NetworkRecord} guard this process's
 * @param {NetworkRecord | null | undefined} [api] the API's (null: it has no guard to report; undefined: no API ran)
 * @returns {{ failures: string[], line: string }}
 */
export function networkVerdict(guard, api) {
  const failures = [];
  const blocked = [...guard.blocked, ...(api?.blocked ?? [])];
  const outside = [...guard.connections, ...(api?.connections ?? [])].filter((c) => !/^(127\.|localhost|::1|\[::1\])/.test(c));
  if (blocked.length > 0 || outside.length > 0) failures.push(`network: blocked ${blocked.join(', ')}; outside loopback: ${outside.join(', ')}`);
  if (api === null) failures.push('the API has no network guard (api-net-guard.mjs) to report');
  const apiPart = api === undefined ? '' : `, the API ${api?.connections.length ?? '?'} connection(s)`;
  return { failures, line: `network: this process ${guard.connections.length} connection(s)${apiPart}, all to 127.0.0.1; ${blocked.length} blocked` };
}

/**
 * Writes a benchmark's JSON (pretty, one trailing newline) and says so.
 * @param {string | null} file
 * @param {{ seconds: number }} json
 * @param {(line: string) => void} log
 */
export function writeResults(file, json, log) {
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${file} (${json.seconds.toFixed(1)} s in all)`);
}

/**
 * The start of a benchmark that may reach the network: its options (defaults, then the
 * environment, then the caller's), a logger, the net guard of this process and the start time.
 * @template {object} T
 * @param {T} defaults
 * @param {Partial<T>} fromEnv
 * @param {Partial<T>} overrides
 */
export function startRun(defaults, fromEnv, overrides) {
  return {
    options: /** @type {T} */ ({ ...defaults, ...fromEnv, ...overrides }),
    log: (/** @type {string} */ line) => console.log(line),
    guard: installNetGuard(),
    started: Date.now(),
  };
}

// The full stack the HTTP and impact benchmarks run against, all on 127.0.0.1, started through
// @dezky/test-stack (which stops every process it started when the benchmark ends, fails, or
// this process exits or is interrupted):
//   - a MongoDB-wire server (tools/mongo-wire, Java, in-memory backend) as a child process
//   - the dev IdP (@dezky/dev-idp) in this process, on a free port
//   - the platform API (services/platform-api/dist/main.js) as a child process, with
//     APP_ENV=production, NODE_ENV=production, a preload (api-net-guard.mjs) that keeps it on
//     loopback, and its inspector on a loopback port, through which this process takes CPU
//     profiles and forces garbage collections (inspector.mjs)
// What is the benchmark's own: the load generators' processes, CPU and RSS readings, the
// inspector, and the build freshness check.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_NODE_ARGS, baseEnv, freePort, issuerEnv, signIn, startApi, startIdp, startMongoWire, startProcess } from '@dezky/test-stack';
import { MongoClient } from 'mongodb';
import { parseStatusBytes } from './http-summary.mjs';
import { connectInspector, inspectorUrlIn } from './inspector.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API_NET_GUARD = fileURLToPath(new URL('./api-net-guard.mjs', import.meta.url));

/** The API's request budgets (services/platform-api's config: a number per window, or off). */
export const RATE_LIMIT_VARIABLES = ['RATE_LIMIT_PER_IP', 'RATE_LIMIT_PER_SUBJECT', 'RATE_LIMIT_EVALUATION'];
export const ADMIN = { username: 'admin@dezky.test', password: 'admin-password' };
export const ALICE = { username: 'alice@customer.test', password: 'alice-password' };

// ------------------------------------------------------------------ child processes

/**
 * Forks a Node module with an IPC channel (used for the load generators): a small environment
 * (PATH, HOME, nothing else inherited, no NODE_OPTIONS), stopped with the rest of the stack.
 * @param {string} name
 * @param {string} modulePath
 * @returns {import('@dezky/test-stack').StackProcess}
 */
export function forkTracked(name, modulePath) {
  return startProcess(name, process.execPath, [modulePath], { cwd: process.cwd(), env: baseEnv(), ipc: true });
}

// ------------------------------------------------------------------ CPU time per process

let clockTicks = 0;
/** Clock ticks per second of /proc/<pid>/stat (usually 100). */
function ticksPerSecond() {
  if (clockTicks === 0) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(r.stdout?.trim()) || 100;
  }
  return clockTicks;
}

/**
 * User + system CPU time a process has used so far, in ms (Linux /proc); NaN elsewhere.
 * @param {number} pid
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/**
 * A process's resident set size in bytes (VmRSS of /proc/<pid>/status, or another of its
 * size fields: RssAnon, RssFile); NaN elsewhere or once it has exited.
 * @param {number} pid
 * @param {string} [field]
 */
export function processRssBytes(pid, field = 'VmRSS') {
  try {
    return parseStatusBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time the whole machine has spent busy (not idle or waiting for I/O) since boot, in ms
 * summed over all cores (Linux /proc/stat); NaN elsewhere. With processCpuMs, it tells how
 * much CPU other processes took during a measurement.
 */
export function machineBusyCpuMs() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const busy = (v[0] ?? 0) + (v[1] ?? 0) + (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
    return (busy * 1000) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

// ------------------------------------------------------------------ build freshness

/**
 * Newest modification time of the files under `dir` (recursively; 0 when missing).
 * @param {string} dir
 * @returns {number}
 */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Warnings when a package's dist/ is older than its src/ (the benchmark runs what is built).
 * @returns {string[]}
 */
export function buildWarnings() {
  const warnings = [];
  for (const pkg of ['services/platform-api', 'packages/flags-core', 'packages/contracts']) {
    const src = newestMtime(path.join(REPO_ROOT, pkg, 'src'));
    const dist = newestMtime(path.join(REPO_ROOT, pkg, 'dist'));
    if (dist === 0) warnings.push(`${pkg}/dist is missing: build it first (pnpm --filter ... build)`);
    else if (src > dist) {
      warnings.push(`${pkg}/src has changes newer than its dist/ (by ${Math.round((src - dist) / 1000)} s): the benchmark runs the built code`);
    }
  }
  return warnings;
}

// ------------------------------------------------------------------ the stack

/**
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {Headers} headers
 * @property {any} body parsed JSON (or the text when it is not JSON)
 * @property {number} bytes
 * @property {number} ms client round trip, request sent to body read
 */

/**
 * @callback ApiCall
 * @param {string} method
 * @param {string} urlPath
 * @param {{ token?: string, body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<HttpResponse>}
 */

/**
 * @typedef {object} Stack
 * @property {string} apiUrl e.g. http://127.0.0.1:40123
 * @property {string} metricsUrl the API's GET /metrics on its metrics port (METRICS_PORT), e.g. http://127.0.0.1:40124/metrics
 * @property {string} mongoUrl the database URL the API uses
 * @property {import('mongodb').Db} db the same database, for bulk setup
 * @property {{ operator: string, portal: string }} issuers
 * @property {{ admin: string, alice: string }} tokens admin: operator-scoped; alice: portal-scoped
 * @property {ApiCall} call
 * @property {{ api: number, mongo: number }} pids
 * @property {string[]} warnings
 * @property {(file: string) => Promise<void>} startProfile starts a CPU profile of the API (through its inspector)
 * @property {() => Promise<GcResult>} forceGc a full garbage collection in the API (through its inspector), then its RSS
 * @property {() => Promise<void>} stopProfile writes it to the file given to startProfile
 * @property {() => Promise<{ connections: string[], lookups: string[], blocked: string[] } | null>} apiNetwork what the API's net guard recorded
 * @property {(env: Record<string, string>) => Promise<Peer>} startPeer a second API process on the same database and the same options, but for `env` (no inspector; its metrics on a port of its own unless `env` names METRICS_PORT), stopped with the stack
 * @property {() => Promise<void>} stop tears everything down (idempotent)
 */

/**
 * @typedef {object} Peer
 * @property {string} url
 * @property {number} pid
 * @property {() => Promise<void>} stop
 */

/**
 * @typedef {object} GcResult
 * @property {string} how gc() or the inspector's HeapProfiler.collectGarbage
 * @property {NodeJS.MemoryUsage} memoryUsage the API's process.memoryUsage() after the collection
 * @property {Array<{ name: string, size: number, used: number }>} heapSpaces V8's heap spaces after it (bytes committed, used)
 * @property {number} rssBytes the API's VmRSS read by this process after the collection
 * @property {number} rssAnonBytes its anonymous part (heap, stacks, malloc)
 * @property {number} rssFileBytes its file-backed part (the node binary and libraries, shared)
 */

/**
 * Starts mongo-wire, the dev IdP and the API; obtains an operator token for the admin and a
 * portal token for Alice through the IdP's code + PKCE flow. `exposeGc` starts the API with
 * --expose-gc, for forceGc (which otherwise goes through the inspector); `nodeArgs` are more
 * options for the API's node (e.g. V8 heap sizes), before the inspector and the preload.
 * @param {{ log: (line: string) => void, database?: string, exposeGc?: boolean, nodeArgs?: string[] }} options
 * @returns {Promise<Stack>}
 */
export async function startStack({ log, database = 'dezky_bench', exposeGc = false, nodeArgs = [...API_NODE_ARGS] }) {
  const warnings = buildWarnings();
  for (const w of warnings) log(`  WARNING: ${w}`);

  /** @type {Array<() => Promise<void>>} */
  const teardown = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const step of teardown.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`  teardown: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    const started = Date.now();
    // 1. MongoDB-wire (in memory).
    const mongo = await startMongoWire();
    teardown.push(() => mongo.stop());
    const mongoUrl = `${mongo.url}/${database}`;

    // 2. The dev IdP, in this process. run.mjs sets NODE_ENV=production for the in-process
    // engines; the IdP's production guard is told the truth: this is a benchmark on loopback.
    const idp = await startIdp({ accessTokenTtlSeconds: 2 * 3600, env: { NODE_ENV: 'test' }, onServerError: (e) => log(`  dev-idp: ${String(e)}`) });
    teardown.push(() => idp.close());

    // 3. The API, its inspector on a free loopback port.
    /** @type {NodeJS.ProcessEnv} */
    const apiEnv = {
      NODE_ENV: 'production',
      APP_ENV: 'production',
      LOG_LEVEL: 'warn',
      MONGO_URL: mongoUrl,
      ...issuerEnv(idp),
      PLATFORM_ADMIN_EMAILS: ADMIN.username,
      EVENT_STREAM_SECRET: randomBytes(32).toString('base64url'),
      // The load comes from one address and one user: budgets stay on (every request is
      // counted, as in production) but out of reach, so the figures include their cost; the
      // HTTP benchmark measures the same API without them beside it (a peer), to show that cost.
      // BENCH_RATE_LIMITS=off turns them off here too.
      ...Object.fromEntries(
        RATE_LIMIT_VARIABLES.map((name) => [name, process.env.BENCH_RATE_LIMITS === 'off' ? 'off' : '100000000/10s']),
      ),
      // As the Dockerfile runs it: two malloc arenas instead of one per thread.
      MALLOC_ARENA_MAX: '2',
      // Metrics on, as deployed, on a port of their own (a peer gets another).
      METRICS_PORT: String(await freePort()),
    };
    const api = await startApi({ nodeArgs: [...(exposeGc ? ['--expose-gc'] : []), ...nodeArgs, '--inspect=127.0.0.1:0', '--import', API_NET_GUARD], env: apiEnv });
    teardown.push(() => api.stop(10_000));
    const apiUrl = api.url;
    const inspectorUrl = inspectorUrlIn(api.process.printed());
    if (!inspectorUrl) throw new Error(`the API did not print its inspector's address:\n${api.process.tail()}`);
    const inspector = await connectInspector(inspectorUrl);
    teardown.push(async () => inspector.close());

    const db = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 10_000 });
    await db.connect();
    teardown.push(() => db.close());

    // 4. Real tokens, through the authorization code + PKCE flow.
    const admin = await signIn(idp, 'operator', ADMIN.username, ADMIN.password);
    const alice = await signIn(idp, 'portal', ALICE.username, ALICE.password);
    log(`  stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: API ${apiUrl} (pid ${api.process.pid}), mongo-wire ${mongo.url} (pid ${mongo.process.pid}), dev IdP ${idp.baseUrl}`);

    /** @type {ApiCall} */
    const call = async (method, urlPath, { token, body, headers: extra } = {}) => {
      /** @type {Record<string, string>} */
      const headers = { accept: 'application/json', ...extra };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const t0 = performance.now();
      const res = await fetch(`${apiUrl}${urlPath}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed, bytes: Buffer.byteLength(text), ms };
    };

    let profileFile = '';

    return {
      apiUrl,
      metricsUrl: `http://127.0.0.1:${apiEnv.METRICS_PORT}/metrics`,
      mongoUrl,
      db: db.db(database),
      issuers: idp.issuers,
      tokens: { admin: admin.access_token, alice: alice.access_token },
      call,
      pids: { api: api.process.pid, mongo: mongo.process.pid },
      warnings,
      startProfile: async (file) => {
        // V8's sampling CPU profiler at the interval --cpu-prof uses (1 ms), over exactly the load window.
        profileFile = file;
        rmSync(file, { force: true });
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.setSamplingInterval', { interval: 1000 });
        await inspector.post('Profiler.start');
      },
      stopProfile: async () => {
        const { profile } = await inspector.post('Profiler.stop');
        await inspector.post('Profiler.disable');
        writeFileSync(profileFile, JSON.stringify(profile));
      },
      forceGc: async () => {
        // Twice: the second one also frees what the first one's finalizers released.
        const how = exposeGc ? 'gc()' : 'inspector HeapProfiler.collectGarbage';
        for (let i = 0; i < 2; i++) {
          if (exposeGc) await inspector.evaluate('gc()');
          else await inspector.post('HeapProfiler.collectGarbage');
        }
        // Let the memory reducer return the freed pages before VmRSS is read.
        await new Promise((r) => setTimeout(r, 200));
        const got = await inspector.evaluate(
          `({ memoryUsage: process.memoryUsage(), heapSpaces: process.getBuiltinModule('node:v8').getHeapSpaceStatistics().map((x) => ({ name: x.space_name, size: x.space_size, used: x.space_used_size })) })`,
        );
        return { how, ...got, rssBytes: processRssBytes(api.process.pid), rssAnonBytes: processRssBytes(api.process.pid, 'RssAnon'), rssFileBytes: processRssBytes(api.process.pid, 'RssFile') };
      },
      apiNetwork: async () => {
        try {
          return await inspector.evaluate(
            '((guard) => (guard ? { connections: guard.connections, lookups: guard.lookups, blocked: guard.blocked } : null))(globalThis.__dezkyNetGuard)',
          );
        } catch {
          return null;
        }
      },
      startPeer: async (env) => {
        const peer = await startApi({ nodeArgs: [...nodeArgs, '--import', API_NET_GUARD], env: { ...apiEnv, METRICS_PORT: String(await freePort()), ...env } });
        teardown.push(() => peer.stop(10_000));
        log(`  peer API ${peer.url} (pid ${peer.process.pid}): ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
        return { url: peer.url, pid: peer.process.pid, stop: () => peer.stop(10_000) };
      },
      stop: async () => {
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Throws unless the response has the expected status.
 * @param {HttpResponse} res
 * @param {number} status
 * @param {string} what
 */
export function expectStatus(res, status, what) {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  return res;
}

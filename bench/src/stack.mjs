// The full stack the HTTP and impact benchmarks run against, all on 127.0.0.1:
//   - a MongoDB-wire server (tools/mongo-wire, Java, in-memory backend) as a child process
//   - the dev IdP (@dezky/dev-idp) in this process, on a free port
//   - the platform API (services/platform-api/dist/main.js) as a child process, with
//     APP_ENV=production, NODE_ENV=production and a preload (api-preload.mjs) that keeps it on
//     loopback and can take a CPU profile or force a garbage collection on request
// Every child is registered so it is killed when the benchmark ends, fails, or this process
// exits or is interrupted.
import { fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_REDIRECT_URI, DEFAULT_CLIENT_SECRETS, obtainTokens, startDevIdp } from '@dezky/dev-idp';
import { MongoClient } from 'mongodb';
import { parseStatusBytes } from './http-summary.mjs';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API_DIR = path.join(REPO_ROOT, 'services/platform-api');
export const API_MAIN = path.join(API_DIR, 'dist/main.js');
const MONGO_WIRE_DIR = path.join(REPO_ROOT, 'tools/mongo-wire');
const API_PRELOAD = fileURLToPath(new URL('./api-preload.mjs', import.meta.url));

export const ADMIN = { username: 'admin@dezky.test', password: 'admin-password' };
export const ALICE = { username: 'alice@customer.test', password: 'alice-password' };

// ------------------------------------------------------------------ child processes

/** Every child this process started and has not seen exit. */
const children = new Set(/** @type {ChildProcess[]} */ ([]));
/** Temporary directories to remove on the way out. */
const tempDirs = new Set(/** @type {string[]} */ ([]));
let exitHooksInstalled = false;

function killAllNow() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Last-resort teardown: on exit, and on SIGINT/SIGTERM while children are alive. */
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * @typedef {object} ChildHandle
 * @property {string} name
 * @property {ChildProcess} child
 * @property {number} pid
 * @property {() => string} output the last few KB of its stdout and stderr
 * @property {(timeoutMs?: number) => Promise<void>} stop SIGTERM, then SIGKILL after timeoutMs
 */

/**
 * Registers a started child: keeps the tail of its output and removes it from the registry
 * when it exits.
 * @param {string} name
 * @param {ChildProcess} child
 * @returns {ChildHandle}
 */
function track(name, child) {
  installExitHooks();
  children.add(child);
  let tail = '';
  const keep = (/** @type {Buffer} */ d) => {
    tail = (tail + d.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => children.delete(child));
  if (child.pid === undefined) throw new Error(`${name}: could not start`);
  const pid = child.pid;
  return {
    name,
    child,
    pid,
    output: () => tail,
    stop: (timeoutMs = 5000) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Waits until `pattern` appears in the child's stdout; rejects when it exits first or after
 * `timeoutMs`.
 * @param {ChildHandle} handle
 * @param {RegExp} pattern
 * @param {number} timeoutMs
 * @returns {Promise<RegExpExecArray>}
 */
function waitForOutput(handle, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (/** @type {Buffer} */ d) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (/** @type {number | null} */ code, /** @type {string | null} */ signal) => {
      cleanup();
      reject(new Error(`${handle.name} exited (${code ?? signal}) before it was ready:\n${handle.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${handle.name} was not ready after ${timeoutMs / 1000} s:\n${handle.output()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      handle.child.stdout?.off('data', onData);
      handle.child.off('exit', onExit);
    };
    handle.child.stdout?.on('data', onData);
    handle.child.once('exit', onExit);
  });
}

/**
 * Forks a Node module with an IPC channel (used for the load generator), tracked like the others.
 * @param {string} name
 * @param {string} modulePath
 * @returns {ChildHandle}
 */
export function forkTracked(name, modulePath) {
  const child = fork(modulePath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [], env: childEnv({}) });
  return track(name, child);
}

/**
 * A small environment for children: PATH and HOME, nothing else inherited (no NODE_OPTIONS).
 * @param {Record<string, string>} extra
 */
function childEnv(extra) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'JAVA_HOME']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
 * @property {string} mongoUrl the database URL the API uses
 * @property {import('mongodb').Db} db the same database, for bulk setup
 * @property {{ operator: string, portal: string }} issuers
 * @property {{ admin: string, alice: string }} tokens admin: operator-scoped; alice: portal-scoped
 * @property {ApiCall} call
 * @property {{ api: number, mongo: number }} pids
 * @property {string[]} warnings
 * @property {(file: string) => Promise<void>} startProfile starts a CPU profile of the API (see api-preload.mjs)
 * @property {() => Promise<GcResult>} forceGc a full garbage collection in the API (see api-preload.mjs), then its RSS
 * @property {() => Promise<void>} stopProfile writes it to the file given to startProfile
 * @property {() => { connections: string[], lookups: string[], blocked: string[] } | null} apiNetwork what the API's net guard recorded
 * @property {() => Promise<void>} stop tears everything down (idempotent)
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
 * options for the API's node (e.g. V8 heap sizes), before the preload.
 * @param {{ log: (line: string) => void, database?: string, exposeGc?: boolean, nodeArgs?: string[] }} options
 * @returns {Promise<Stack>}
 */
export async function startStack({ log, database = 'dezky_bench', exposeGc = false, nodeArgs = [] }) {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run pnpm --filter @dezky/platform-api build`);
  if (!existsSync(path.join(MONGO_WIRE_DIR, 'lib'))) throw new Error(`${MONGO_WIRE_DIR}/lib is missing: run bash scripts/env.sh bootstrap`);
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
    const mongo = track('mongo-wire', spawn('java', ['-cp', 'lib/*', 'Launcher.java', '0'], { cwd: MONGO_WIRE_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv({}) }));
    teardown.push(() => mongo.stop());
    const ready = await waitForOutput(mongo, /mongo-wire ready (mongodb:\/\/\S+)/, 90_000);
    const mongoBase = /** @type {string} */ (ready[1]);
    const mongoUrl = `${mongoBase}/${database}`;

    // 2. The dev IdP, in this process. run.mjs sets NODE_ENV=production for the in-process
    // engines; the IdP's production guard is told the truth: this is a benchmark on loopback.
    const idp = await startDevIdp({ port: 0, host: '127.0.0.1', accessTokenTtlSeconds: 2 * 3600, env: { NODE_ENV: 'test' }, onServerError: (e) => log(`  dev-idp: ${String(e)}`) });
    teardown.push(() => idp.close());

    // 3. The API.
    const port = await freePort();
    // Files the API's preload and this process exchange (net log, profile requests).
    const controlDir = mkdtempSync(path.join(os.tmpdir(), 'dezky-bench-api-'));
    tempDirs.add(controlDir);
    teardown.push(async () => {
      rmSync(controlDir, { recursive: true, force: true });
      tempDirs.delete(controlDir);
    });
    const api = track(
      'platform-api',
      spawn(process.execPath, [...(exposeGc ? ['--expose-gc'] : []), ...nodeArgs, '--import', API_PRELOAD, API_MAIN], {
        cwd: API_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: childEnv({
          NODE_ENV: 'production',
          APP_ENV: 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          MONGO_URL: mongoUrl,
          AUTHENTIK_ISSUERS: `${idp.issuers.operator},${idp.issuers.portal}`,
          PLATFORM_ADMIN_EMAILS: ADMIN.username,
          EVENT_STREAM_SECRET: randomBytes(32).toString('base64url'),
          // The load comes from one address and one user: budgets stay on (every request is
          // counted, as in production) but out of reach, so the figures include their cost.
          // BENCH_RATE_LIMITS=off turns them off, to see that cost against the ceiling.
          ...Object.fromEntries(
            ['RATE_LIMIT_PER_IP', 'RATE_LIMIT_PER_SUBJECT', 'RATE_LIMIT_EVALUATION'].map((name) => [name, process.env.BENCH_RATE_LIMITS === 'off' ? 'off' : '100000000/10s']),
          ),
          // As the Dockerfile runs it: two malloc arenas instead of one per thread.
          MALLOC_ARENA_MAX: '2',
          BENCH_API_CONTROL_DIR: controlDir,
        }),
      }),
    );
    teardown.push(() => api.stop(10_000));
    await waitForOutput(api, /listening on (http:\/\/\S+)/, 90_000);
    const apiUrl = `http://127.0.0.1:${port}`;

    const db = new MongoClient(mongoBase, { serverSelectionTimeoutMS: 10_000 });
    await db.connect();
    teardown.push(() => db.close());

    // 4. Real tokens, through the authorization code + PKCE flow.
    const admin = await obtainTokens({
      issuer: idp.issuers.operator,
      clientId: 'dezky-operator',
      clientSecret: DEFAULT_CLIENT_SECRETS.operator,
      redirectUri: CLI_REDIRECT_URI,
      ...ADMIN,
    });
    const alice = await obtainTokens({
      issuer: idp.issuers.portal,
      clientId: 'dezky-portal',
      clientSecret: DEFAULT_CLIENT_SECRETS.portal,
      redirectUri: CLI_REDIRECT_URI,
      ...ALICE,
    });
    log(`  stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: API ${apiUrl} (pid ${api.pid}), mongo-wire ${mongoBase} (pid ${mongo.pid}), dev IdP ${idp.baseUrl}`);

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

    /** @param {string} request a file name in the control dir @param {string} content @param {string} file waited for */
    const requestAndWait = async (request, content, file) => {
      // Written aside and renamed into place, so the API never sees a half-written request.
      writeFileSync(path.join(controlDir, `${request}.tmp`), content);
      renameSync(path.join(controlDir, `${request}.tmp`), path.join(controlDir, request));
      const deadline = Date.now() + 30_000;
      while (!existsSync(file)) {
        if (api.child.exitCode !== null || api.child.signalCode !== null) throw new Error(`the API exited:\n${api.output()}`);
        if (Date.now() > deadline) throw new Error(`the API did not write ${file}:\n${api.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    let profileFile = '';
    let gcCount = 0;

    return {
      apiUrl,
      mongoUrl,
      db: db.db(database),
      issuers: idp.issuers,
      tokens: { admin: admin.access_token, alice: alice.access_token },
      call,
      pids: { api: api.pid, mongo: mongo.pid },
      warnings,
      startProfile: async (file) => {
        profileFile = file;
        rmSync(file, { force: true });
        rmSync(`${file}.started`, { force: true });
        await requestAndWait('profile-start', file, `${file}.started`);
      },
      stopProfile: async () => {
        await requestAndWait('profile-stop', '', profileFile);
        rmSync(`${profileFile}.started`, { force: true });
      },
      forceGc: async () => {
        const file = path.join(controlDir, `gc-${++gcCount}.json`);
        await requestAndWait('gc', file, file);
        // The preload writes the file in one call; read it once it parses.
        for (let i = 0; ; i++) {
          try {
            const got = JSON.parse(readFileSync(file, 'utf8'));
            rmSync(file, { force: true });
            return { ...got, rssBytes: processRssBytes(api.pid), rssAnonBytes: processRssBytes(api.pid, 'RssAnon'), rssFileBytes: processRssBytes(api.pid, 'RssFile') };
          } catch (error) {
            if (i >= 20) throw error;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      },
      apiNetwork: () => {
        try {
          return JSON.parse(readFileSync(path.join(controlDir, 'net.json'), 'utf8'));
        } catch {
          return null;
        }
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

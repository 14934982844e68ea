// The load generator: a child process of the benchmark (forked with an IPC channel) that runs
// autocannon on request, so its CPU use is its own process's and it never shares an event loop
// with the dev IdP or the orchestration. One process serves every run of a benchmark, so its
// JIT is equally warm for every endpoint.
//
// Messages in:  { type: 'run', id, options: LoadOptions }   { type: 'exit' }
// Messages out: { type: 'ready' }   { type: 'result', id, result: LoadResult }   { type: 'error', id, message }
import autocannon from 'autocannon';
import { installNetGuard } from './net-guard.mjs';

/**
 * @typedef {object} LoadOptions
 * @property {string} title
 * @property {string} url origin, e.g. http://127.0.0.1:3001
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {string[]} [bodies] request bodies; connection k cycles through bodies k, k + connections, ...
 * @property {number} connections
 * @property {number} durationS
 * @property {number} [timeoutS]
 */

/**
 * @typedef {object} LoadResult
 * @property {string} title
 * @property {number} durationS autocannon's own duration (it includes building the clients' requests)
 * @property {number} windowS from autocannon's 'start' (clients built) to its end: the window requests were sent in
 * @property {number} requests completed responses
 * @property {number} reqPerSec requests / windowS
 * @property {{ mean: number, p50: number, p90: number, p99: number, max: number }} latencyMs
 * @property {number} errors connection errors
 * @property {number} timeouts
 * @property {number} non2xx
 * @property {Record<string, number>} statusCodes
 * @property {number} bytesRead
 * @property {number} workerCpuMs CPU time this process used during the window
 * @property {number} connectionsRefused by the network guard (must be 0)
 */

const guard = installNetGuard();

/**
 * @param {LoadOptions} o
 * @returns {Promise<LoadResult>}
 */
async function run(o) {
  const blockedBefore = guard.blocked.length;
  /** @type {autocannon.Request[][] | null} */
  let perClient = null;
  if (o.bodies && o.bodies.length > 0) {
    const bodies = o.bodies;
    perClient = Array.from({ length: o.connections }, (_, k) => {
      const mine = bodies.length >= o.connections ? bodies.filter((_, i) => i % o.connections === k) : [/** @type {string} */ (bodies[k % bodies.length])];
      return mine.map((body) => ({ method: o.method, path: o.path, body }));
    });
  }
  let nextClient = 0;
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  // Without a callback autocannon returns its EventEmitter, made thenable.
  const instance = /** @type {autocannon.Instance & PromiseLike<autocannon.Result>} */ (/** @type {unknown} */ (autocannon({
    url: o.url,
    title: o.title,
    connections: o.connections,
    pipelining: 1,
    duration: o.durationS,
    timeout: o.timeoutS ?? 10,
    method: o.method,
    headers: o.headers,
    // With bodies, each client gets its own requests in setupClient; the default stays one
    // request so nothing is built twice.
    requests: [{ method: o.method, path: o.path, ...(o.bodies?.[0] !== undefined ? { body: o.bodies[0] } : {}) }],
    ...(perClient
      ? {
          setupClient: (/** @type {autocannon.Client} */ client) => {
            // Static requests: autocannon builds each one's bytes once, not per request.
            client.setRequests(/** @type {autocannon.Request[]} */ (perClient[nextClient++ % o.connections]));
          },
        }
      : {}),
  })));
  // Clients (and their request bytes) are built before 'start'; autocannon's duration counts
  // that too, which would charge the many-tenant load for its setup. Measure from 'start'.
  instance.on('start', () => {
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  });
  const result = await instance;
  const windowS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const durationS = result.duration;
  const requests = result.requests.total;
  /** @type {Record<string, number>} */
  const statusCodes = {};
  for (const [code, v] of Object.entries(/** @type {Record<string, { count: number }>} */ (result.statusCodeStats ?? {}))) statusCodes[code] = v.count;
  return {
    title: o.title,
    durationS,
    windowS,
    requests,
    reqPerSec: requests / windowS,
    latencyMs: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    bytesRead: result.throughput.total,
    workerCpuMs: (cpu.user + cpu.system) / 1000,
    connectionsRefused: guard.blocked.length - blockedBefore,
  };
}

process.on('message', (/** @type {{ type: string, id?: number, options?: LoadOptions }} */ msg) => {
  if (msg.type === 'exit') {
    process.disconnect?.();
    return;
  }
  if (msg.type === 'run' && msg.options) {
    run(msg.options).then(
      (result) => process.send?.({ type: 'result', id: msg.id, result }),
      (error) => process.send?.({ type: 'error', id: msg.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  }
});
process.send?.({ type: 'ready' });

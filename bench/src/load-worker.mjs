// The load generator: a child process of the benchmark (forked with an IPC channel) that runs
// autocannon on request, so its CPU use is its own process's and it never shares an event loop
// with the dev IdP or the orchestration. One process serves every run of a benchmark, so its
// JIT is equally warm for every endpoint.
//
// With request bodies, connection k cycles through its own share of them (bodies k,
// k + connections, ...), and a load with a `key` carries on where the previous one with that
// key stopped, so successive windows visit every tenant instead of the first few each time.
// Each connection's next request is built when it is sent (http-request.mjs, the bytes
// autocannon would build). autocannon would build every request of every connection up front,
// while the first connections' first requests are already written and timed: with 100,000
// tenants that took seconds, and showed up as seconds of latency in the p99.
//
// Messages in:  { type: 'run', id, options: LoadOptions }   { type: 'exit' }
// Messages out: { type: 'ready' }   { type: 'result', id, result: LoadResult }   { type: 'error', id, message }
import autocannon from 'autocannon';
import { requestBytes, requestHead } from './http-request.mjs';
import { installNetGuard } from './net-guard.mjs';

/**
 * @typedef {object} LoadOptions
 * @property {string} title
 * @property {string} url origin, e.g. http://127.0.0.1:3001
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {string[]} [bodies] request bodies; connection k cycles through bodies k, k + connections, ...
 * @property {Array<Record<string, string>>} [bodyHeaders] headers of the request of bodies[i] (e.g. its If-None-Match), on top of `headers`
 * @property {string} [key] loads with the same key and bodies carry on, per connection, where the previous one stopped
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

/** Where each connection stopped, per load key: key -> { bodies: count, next: per-connection position }. */
const positions = new Map(/** @type {Array<[string, { bodies: number, next: number[] }]>} */ ([]));

/**
 * The part of autocannon's client this worker drives (autocannon 9, pinned): the first request
 * a client writes is `requestIterator.currentRequest`, each next one comes from
 * `requestIterator.nextRequest()`; only `requestBuffer` of a request is written.
 * @typedef {{ requestIterator?: { currentRequest: unknown, nextRequest: () => unknown } }} DrivenClient
 */

/**
 * @param {LoadOptions} o
 * @returns {Promise<LoadResult>}
 */
async function run(o) {
  const blockedBefore = guard.blocked.length;
  const bodies = o.bodies && o.bodies.length > 0 ? o.bodies : null;
  const C = o.connections;
  const n = bodies?.length ?? 0;
  // Connection k's bodies: k, k + C, ... (or body k mod n alone when there are fewer than C).
  /** @param {number} k */
  const shareOf = (k) => (n >= C ? Math.ceil((n - k) / C) : 1);
  /** @param {number} k @param {number} j */
  const indexOf = (k, j) => (n >= C ? k + j * C : k % n);
  let state = o.key ? positions.get(o.key) : undefined;
  if (bodies && o.key && (!state || state.bodies !== n)) {
    state = { bodies: n, next: Array.from({ length: C }, () => 0) };
    positions.set(o.key, state);
  }
  const sent = Array.from({ length: C }, () => 0);
  const head = bodies ? requestHead({ method: o.method, path: o.path, host: new URL(o.url).host, headers: o.headers }) : '';
  /** @param {number} i */
  const request = (i) => ({ requestBuffer: requestBytes(head, /** @type {string[]} */ (bodies)[i], o.bodyHeaders?.[i]) });
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
    // With bodies, each client's requests come from setupClient; autocannon builds this one
    // default request per client, which is never sent.
    requests: [{ method: o.method, path: o.path, ...(o.bodies?.[0] !== undefined ? { body: o.bodies[0] } : {}), ...(o.bodyHeaders?.[0] ? { headers: o.bodyHeaders[0] } : {}) }],
    ...(bodies
      ? {
          setupClient: (/** @type {autocannon.Client} */ client) => {
            const k = nextClient++ % C;
            const it = /** @type {DrivenClient} */ (/** @type {unknown} */ (client)).requestIterator;
            if (!it || typeof it.nextRequest !== 'function' || !('currentRequest' in it)) {
              throw new Error('load worker: autocannon\u2019s client has no requestIterator.currentRequest/nextRequest (autocannon changed?)');
            }
            const share = shareOf(k);
            let j = state ? (/** @type {number} */ (state.next[k]) % share) : 0;
            it.currentRequest = request(indexOf(k, j));
            it.nextRequest = function nextRequest() {
              j = (j + 1) % share;
              this.currentRequest = request(indexOf(k, j));
              return this.currentRequest;
            };
            client.on('response', () => {
              sent[k] = /** @type {number} */ (sent[k]) + 1;
            });
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
  if (state) for (let k = 0; k < C; k++) state.next[k] = (/** @type {number} */ (state.next[k]) + /** @type {number} */ (sent[k])) % shareOf(k);
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

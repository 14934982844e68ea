// A guard that keeps a benchmark on this machine: every outgoing TCP connection (node:http,
// node:https, fetch/undici and anything else built on net.Socket) and every DNS lookup is
// recorded; one to a host that is not loopback is refused with an error.
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1', '[::1]']);

/** @param {unknown} host */
export function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node defaults to localhost
  const h = String(host).toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

/**
 * Where `socket.connect(...)` is going: (options), (port, host?), (path) or ([options, cb]).
 * @param {unknown[]} args
 * @returns {string}
 */
function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // internal normalized form
  if (typeof first === 'object' && first !== null) {
    const o = /** @type {{ path?: string, host?: string, port?: number }} */ (first);
    if (o.path) return `unix:${o.path}`;
    return `${o.host ?? 'localhost'}:${o.port ?? ''}`;
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return `unix:${first}`;
  const host = typeof args[1] === 'string' ? args[1] : 'localhost';
  return `${host}:${String(first)}`;
}

/** @param {string} target */
function targetIsLocal(target) {
  if (target.startsWith('unix:')) return true;
  const host = target.slice(0, target.lastIndexOf(':'));
  return isLoopback(host);
}

/**
 * @typedef {object} NetGuard
 * @property {string[]} connections every connection attempted (host:port), allowed or not
 * @property {string[]} blocked the ones refused (not loopback)
 * @property {string[]} lookups every DNS lookup
 * @property {() => void} uninstall
 */

/**
 * Install the guard (idempotent while installed: a second call returns the same guard).
 * @returns {NetGuard}
 */
export function installNetGuard() {
  const existing = /** @type {{ __dezkyNetGuard?: NetGuard }} */ (globalThis).__dezkyNetGuard;
  if (existing) return existing;
  const proto = net.Socket.prototype;
  const originalConnect = proto.connect;
  const originalLookup = dns.lookup;
  const originalPromisesLookup = dns.promises.lookup;
  /** @type {NetGuard} */
  const guard = {
    connections: [],
    blocked: [],
    lookups: [],
    uninstall() {
      proto.connect = originalConnect;
      dns.lookup = originalLookup;
      dns.promises.lookup = originalPromisesLookup;
      delete (/** @type {{ __dezkyNetGuard?: NetGuard }} */ (globalThis).__dezkyNetGuard);
    },
  };
  proto.connect = /** @type {typeof proto.connect} */ (
    function guardedConnect(/** @type {unknown[]} */ ...args) {
      const target = targetOf(args);
      guard.connections.push(target);
      if (!targetIsLocal(target)) {
        guard.blocked.push(target);
        throw new Error(`net-guard: refused a connection to ${target} (benchmarks stay on loopback)`);
      }
      return Reflect.apply(originalConnect, this, args);
    }
  );
  /** @param {unknown} hostname */
  const check = (hostname) => {
    guard.lookups.push(String(hostname));
    if (!isLoopback(hostname)) {
      guard.blocked.push(`dns:${String(hostname)}`);
      throw new Error(`net-guard: refused a DNS lookup of ${String(hostname)}`);
    }
  };
  dns.lookup = /** @type {typeof dns.lookup} */ (
    function guardedLookup(/** @type {unknown[]} */ ...args) {
      check(args[0]);
      return Reflect.apply(originalLookup, dns, args);
    }
  );
  dns.promises.lookup = /** @type {typeof dns.promises.lookup} */ (
    function guardedPromisesLookup(/** @type {unknown[]} */ ...args) {
      check(args[0]);
      return Reflect.apply(originalPromisesLookup, dns.promises, args);
    }
  );
  /** @type {{ __dezkyNetGuard?: NetGuard }} */ (globalThis).__dezkyNetGuard = guard;
  return guard;
}

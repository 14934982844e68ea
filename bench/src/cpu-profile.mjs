// Summaries of a V8 CPU profile (.cpuprofile, the format of node --cpu-prof): self time per
// function and per package, so two profiles (e.g. GET /ping and POST /flags/evaluate under the
// same load) can be compared per request.

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number, columnNumber: number }} callFrame
 * @property {number} [hitCount]
 * @property {number[]} [children]
 */
/** @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }} CpuProfile */

/**
 * @typedef {object} ProfileSummary
 * @property {number} wallMs the profile's duration
 * @property {number} samples
 * @property {number} busyMs sampled time not idle (excludes "(idle)")
 * @property {Array<{ name: string, where: string, pkg: string, selfMs: number }>} functions by self time, descending
 * @property {Array<{ pkg: string, selfMs: number }>} packages by self time, descending
 * @property {Array<{ name: string, where: string, totalMs: number }>} inclusive by inclusive time (each function counted once per sample)
 * @property {Array<{ component: string, ms: number }>} components see COMPONENTS: each sample goes to the deepest frame that belongs to a known package
 */

/**
 * What a request spends its time in, by package. A sample is attributed to the deepest frame
 * on its stack (leaf first) that is neither Node core nor native, so e.g. the socket write of a
 * response counts for fastify and the one of a query for the MongoDB driver; a stack of only
 * core frames counts as node http/net.
 * @type {ReadonlyArray<readonly [string, readonly string[]]>}
 */
export const COMPONENTS = [
  ['flag evaluation (@dezky/flags-core)', ['@dezky/flags-core']],
  ['JWT verification (jose, WebCrypto)', ['jose']],
  ['user lookup (mongoose, mongodb driver)', ['mongoose', 'mongodb', 'bson', 'mquery', 'kareem', 'sift', 'mpath']],
  ['ValidationPipe (class-transformer, class-validator)', ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js']],
  ['body parsing (secure-json-parse)', ['secure-json-parse']],
  ['request logging (pino-http, redaction)', ['pino', 'pino-http', '@pinojs/redact', 'nestjs-pino', 'pino-std-serializers', 'fast-redact', 'sonic-boom', 'thread-stream']],
  ['helmet', ['helmet']],
  ['fastify (routing, hooks, reply, write)', ['fastify', 'find-my-way', 'avvio', 'light-my-request', 'fast-json-stringify', 'fast-querystring', 'fast-decode-uri-component', 'toad-cache', 'rfdc', 'abstract-logging', 'process-warning', 'safe-regex2', 'ret', 'fastify-plugin', '@fastify/error', '@fastify/proxy-addr', '@fastify/forwarded', '@fastify/middie', '@fastify/cors', '@fastify/static', '@fastify/send', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', '@nestjs/platform-fastify', 'ipaddr.js', 'vary']],
  ['Nest (guards, pipes, interceptors, routing)', ['@nestjs/core', '@nestjs/common', 'rxjs', 'reflect-metadata', 'tslib', 'iterare', 'uid', 'fast-safe-stringify', 'path-to-regexp']],
  ['platform-api code', ['@dezky/platform-api', '@dezky/contracts']],
];

/** @type {Map<string, string>} */
const COMPONENT_OF_PACKAGE = new Map(COMPONENTS.flatMap(([label, pkgs]) => pkgs.map((p) => /** @type {[string, string]} */ ([p, label]))));

/**
 * Which package a script belongs to, from its URL.
 * @param {string} url
 */
export function packageOf(url) {
  if (!url) return '(v8/native)';
  if (url.startsWith('node:')) return 'node (core)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  const m = /\/(services|packages|apps)\/([^/]+)\//.exec(url);
  if (m) return `@dezky/${m[2]}`;
  if (url.includes('/bench/src/')) return 'bench preload';
  return url;
}

/** @param {string} url */
function shortUrl(url) {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const m = /\/((?:services|packages|apps)\/.*)$/.exec(url);
  return m?.[1] ?? url.replace(/^file:\/\//, '');
}

/**
 * @param {CpuProfile} profile
 * @param {{ top?: number }} [options]
 * @returns {ProfileSummary}
 */
export function summarizeProfile(profile, options = {}) {
  const top = options.top ?? 15;
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Time per sample: the delta to the next sample (the last one gets the mean).
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const meanMs = samples.length > 0 ? wallMs / samples.length : 0;
  /** @type {Map<number, number>} */
  const selfByNode = new Map();
  for (let i = 0; i < samples.length; i++) {
    const next = deltas[i + 1];
    const ms = next !== undefined ? next / 1000 : meanMs;
    const id = /** @type {number} */ (samples[i]);
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + ms);
  }

  /** @param {ProfileNode} n */
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}:${n.callFrame.lineNumber + 1}`;

  /** @type {Map<string, { name: string, where: string, pkg: string, selfMs: number }>} */
  const functions = new Map();
  /** @type {Map<string, number>} */
  const packages = new Map();
  /** @type {Map<string, { name: string, where: string, totalMs: number }>} */
  const inclusive = new Map();
  /** @type {Map<string, number>} */
  const components = new Map();
  let busyMs = 0;
  for (const [id, ms] of selfByNode) {
    const node = /** @type {ProfileNode} */ (byId.get(id));
    const name = node.callFrame.functionName || '(anonymous)';
    if (name !== '(idle)') busyMs += ms;
    const key = keyOf(node);
    // V8's own entries: (idle), (program), (garbage collector).
    const special = !node.callFrame.url && name.startsWith('(') && name !== '(anonymous)';
    const pkg = special ? name : packageOf(node.callFrame.url);
    const where = node.callFrame.url ? `${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : '';
    const f = functions.get(key) ?? { name, where, pkg, selfMs: 0 };
    f.selfMs += ms;
    functions.set(key, f);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    // Component: the deepest frame of a known, non-core package.
    let component = special ? name : null;
    for (let cur = /** @type {number | undefined} */ (id); component === null && cur !== undefined; cur = parent.get(cur)) {
      const url = /** @type {ProfileNode} */ (byId.get(cur)).callFrame.url;
      if (!url || url.startsWith('node:')) continue;
      const p = packageOf(url);
      component = COMPONENT_OF_PACKAGE.get(p) ?? `other: ${p}`;
    }
    component ??= 'node http/net/streams (core only)';
    components.set(component, (components.get(component) ?? 0) + ms);
    // Inclusive: every distinct function on this node's stack.
    const seen = new Set();
    for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parent.get(cur)) {
      const n = /** @type {ProfileNode} */ (byId.get(cur));
      const k = keyOf(n);
      if (seen.has(k)) continue;
      seen.add(k);
      const fname = n.callFrame.functionName || '(anonymous)';
      if (fname === '(root)') continue;
      const e = inclusive.get(k) ?? { name: fname, where: n.callFrame.url ? `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '', totalMs: 0 };
      e.totalMs += ms;
      inclusive.set(k, e);
    }
  }
  return {
    wallMs,
    samples: samples.length,
    busyMs,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top),
    packages: [...packages.entries()].map(([pkg, selfMs]) => ({ pkg, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
    inclusive: [...inclusive.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, top * 3),
    components: [...components.entries()].map(([c, ms]) => ({ component: c, ms })).sort((a, b) => b.ms - a.ms),
  };
}

/**
 * Several summaries (e.g. one per profiled window) as one: times added up.
 * @param {readonly ProfileSummary[]} summaries
 * @param {{ top?: number }} [options]
 * @returns {ProfileSummary}
 */
export function mergeSummaries(summaries, options = {}) {
  const top = options.top ?? 15;
  /**
   * @template {Record<string, unknown>} T
   * @param {(s: ProfileSummary) => T[]} list
   * @param {(x: T) => string} key
   * @param {keyof T & string} field
   * @returns {T[]}
   */
  const merge = (list, key, field) => {
    /** @type {Map<string, T>} */
    const out = new Map();
    for (const s of summaries) {
      for (const x of list(s)) {
        const k = key(x);
        const e = out.get(k);
        if (e) /** @type {Record<string, number>} */ (/** @type {unknown} */ (e))[field] = /** @type {number} */ (e[field]) + /** @type {number} */ (x[field]);
        else out.set(k, { ...x });
      }
    }
    return [...out.values()].sort((a, b) => /** @type {number} */ (b[field]) - /** @type {number} */ (a[field]));
  };
  return {
    wallMs: summaries.reduce((a, s) => a + s.wallMs, 0),
    samples: summaries.reduce((a, s) => a + s.samples, 0),
    busyMs: summaries.reduce((a, s) => a + s.busyMs, 0),
    functions: merge((s) => s.functions, (f) => `${f.name}\u0000${f.where}`, 'selfMs').slice(0, top),
    packages: merge((s) => s.packages, (p) => p.pkg, 'selfMs'),
    inclusive: merge((s) => s.inclusive, (f) => `${f.name}\u0000${f.where}`, 'totalMs').slice(0, top * 3),
    components: merge((s) => s.components, (c) => c.component, 'ms'),
  };
}

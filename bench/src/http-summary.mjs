// Pure helpers of the HTTP benchmark (http.mjs): the ceiling's body, the order of the
// endpoints in a round, per-round ratios, targets and memory figures. No I/O, unit-tested.
import { median } from './stats.mjs';

export const MIB = 1024 * 1024;

/**
 * A valid JSON document of exactly `bytes` bytes (UTF-8): `{"_":"xxx…"}`. The ceiling answers
 * it in place of a real answer, so its responses are as large as the API's. The smallest such
 * document, `{"_":""}`, is 8 bytes; fewer is an error.
 * @param {number} bytes
 * @returns {string}
 */
export function jsonBodyOfSize(bytes) {
  if (!Number.isInteger(bytes) || bytes < 8) throw new RangeError(`a JSON body of ${bytes} bytes: at least 8`);
  return `{"_":"${'x'.repeat(bytes - 8)}"}`;
}

/**
 * The size the ceiling answers with: the median of the API's answer sizes, rounded to a byte.
 * @param {readonly number[]} sizes byte lengths of real answers
 */
export function typicalSize(sizes) {
  if (sizes.length === 0) throw new RangeError('no answer sizes');
  return Math.round(median(sizes));
}

/**
 * The order of the endpoints in round `round` (1-based): the list rotated by round - 1, and
 * reversed in even rounds, so no endpoint always runs first, last, or after the same one.
 * @template T
 * @param {readonly T[]} items
 * @param {number} round
 * @returns {T[]}
 */
export function roundOrder(items, round) {
  const n = items.length;
  if (n === 0) return [];
  const k = (((round - 1) % n) + n) % n;
  const rotated = [...items.slice(k), ...items.slice(0, k)];
  return round % 2 === 0 ? rotated.reverse() : rotated;
}

/**
 * Per-round ratios a[i] / b[i] and their median (NaN when a round lacks either figure).
 * @param {readonly number[]} numerators
 * @param {readonly number[]} denominators
 * @returns {{ rounds: number[], median: number }}
 */
export function roundRatios(numerators, denominators) {
  const rounds = numerators.map((a, i) => {
    const b = denominators[i];
    return b !== undefined && b > 0 && Number.isFinite(a) ? a / b : Number.NaN;
  });
  const finite = rounds.filter((r) => Number.isFinite(r));
  return { rounds, median: finite.length === rounds.length ? median(finite) : Number.NaN };
}

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {'>=' | '<='} op
 * @property {number} limit
 * @property {string} [unit] printed after the numbers: 'x', ' ms', ' MiB', ''
 */

/**
 * @typedef {object} Verdict
 * @property {string} name
 * @property {number} value
 * @property {'>=' | '<='} op
 * @property {number} limit
 * @property {string} unit
 * @property {boolean} pass a value that is not a number (no figure) misses
 */

/**
 * @param {Target} target
 * @param {number} value
 * @returns {Verdict}
 */
export function verdict(target, value) {
  const pass = Number.isFinite(value) && (target.op === '>=' ? value >= target.limit : value <= target.limit);
  return { name: target.name, value, op: target.op, limit: target.limit, unit: target.unit ?? '', pass };
}

/**
 * `0.31x (target >= 0.35x) MISS`
 * @param {Verdict} v
 * @param {number} [digits]
 */
export function formatVerdict(v, digits = 2) {
  const num = (/** @type {number} */ n) => (Number.isFinite(n) ? (Number.isInteger(n) && v.unit !== 'x' ? String(n) : n.toFixed(digits)) : '-');
  return `${num(v.value)}${v.unit} (target ${v.op} ${num(v.limit)}${v.unit}) ${v.pass ? 'PASS' : 'MISS'}`;
}

/**
 * Responses whose status is not the expected one (autocannon's per-status counts).
 * @param {Readonly<Record<string, number>>} statusCodes status -> count
 * @param {number} expected
 */
export function unexpectedResponses(statusCodes, expected) {
  let n = 0;
  for (const [code, count] of Object.entries(statusCodes)) if (Number(code) !== expected) n += count;
  return n;
}

/**
 * A size field of /proc/<pid>/status (`VmRSS:`, `RssAnon:`, `RssFile:` ..., given in kB) in
 * bytes; NaN when the field is missing.
 * @param {string} statusText
 * @param {string} [field]
 */
export function parseStatusBytes(statusText, field = 'VmRSS') {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(statusText);
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/**
 * @typedef {object} RssSummary
 * @property {number} samples
 * @property {number} medianMiB
 * @property {number} maxMiB
 */

/**
 * Median and maximum of RSS samples (bytes), in MiB; samples that are not numbers are dropped.
 * @param {readonly number[]} bytes
 * @returns {RssSummary}
 */
export function summarizeRss(bytes) {
  const ok = bytes.filter((b) => Number.isFinite(b));
  return {
    samples: ok.length,
    medianMiB: ok.length > 0 ? median(ok) / MIB : Number.NaN,
    maxMiB: ok.length > 0 ? Math.max(...ok) / MIB : Number.NaN,
  };
}

/**
 * `count` indexes spread evenly over 0..n-1, always including the last one (Alice's tenant
 * comes last); every index when count is 0 or at least n.
 * @param {number} n
 * @param {number} count
 * @returns {number[]}
 */
export function spreadPicks(n, count) {
  if (count <= 0 || count >= n) return Array.from({ length: n }, (_, i) => i);
  const set = new Set([n - 1]);
  for (let i = 0; i < count && set.size < count; i++) set.add(Math.floor((i * n) / count));
  return [...set].sort((a, b) => a - b);
}

/**
 * V8's heap spaces (bytes committed and used) in short: `new 128/1, old 43/39, code 5/4,
 * other 11/10 MiB (committed/used)`: new_space, old_space and code_space on their own, the
 * others (large-object, trusted, read-only ...) summed.
 * @param {ReadonlyArray<{ name: string, size: number, used: number }>} spaces
 */
export function formatHeapSpaces(spaces) {
  /** @param {string} name */
  const groupOf = (name) => (name === 'new_space' ? 'new' : name === 'old_space' ? 'old' : name === 'code_space' ? 'code' : 'other');
  /** @type {Map<string, { size: number, used: number }>} */
  const sums = new Map();
  for (const s of spaces) {
    const acc = sums.get(groupOf(s.name)) ?? { size: 0, used: 0 };
    acc.size += s.size;
    acc.used += s.used;
    sums.set(groupOf(s.name), acc);
  }
  const parts = [];
  for (const label of ['new', 'old', 'code', 'other']) {
    const v = sums.get(label);
    if (v) parts.push(`${label} ${Math.round(v.size / MIB)}/${Math.round(v.used / MIB)}`);
  }
  return `${parts.join(', ')} MiB (committed/used)`;
}

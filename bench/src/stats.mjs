// Small statistics and formatting helpers shared by the HTTP and impact benchmarks.

/** @param {readonly number[]} values */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Linear-interpolated quantile (the same definition as in-process.mjs); NaN for no values.
 * @param {readonly number[]} values
 * @param {number} q 0..1
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return /** @type {number} */ (s[lo]) + (/** @type {number} */ (s[hi]) - /** @type {number} */ (s[lo])) * (pos - lo);
}

/** @param {number} n */
export const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
/** @param {number} n @param {number} [digits] */
export const fmtNum = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
/** @param {number} r */
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : '-');
/** @param {string} s @param {number} w */
export const padL = (s, w) => s.padStart(w);
/** @param {string} s @param {number} w */
export const padR = (s, w) => s.padEnd(w);

/**
 * A plain text table: the first column left-aligned, the others right-aligned.
 * @param {string[]} header
 * @param {string[][]} rows
 * @returns {string[]}
 */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? padR(c, /** @type {number} */ (widths[i])) : padL(c, /** @type {number} */ (widths[i])))).join('  ');
  return [line(header), '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)), ...rows.map(line)];
}

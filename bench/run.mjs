#!/usr/bin/env node
// Runs the benchmarks in BENCHMARKS, in order, in this one process.
//   node run.mjs               every benchmark that is present
//   node run.mjs in-process    only the named one(s)
//
// A benchmark is a module under src/ that exports `async function main()`; it prints its own
// report and throws (or returns { ok: false }) to fail the run. A listed module that does not
// exist yet is skipped with a note. To add one, drop the file in src/ and list it here.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// Engines that read NODE_ENV (GrowthBook's SDK skips its debug logging in production) see
// what a deployed server sees. Set before any benchmark module loads them.
process.env.NODE_ENV ??= 'production';

/** @type {Array<{ name: string, candidates: string[] }>} */
const BENCHMARKS = [
  // 1: @dezky/flags-core against flagd, GrowthBook and Unleash, in one process.
  { name: 'in-process', candidates: ['src/in-process.mjs'] },
  // 2: POST /flags/evaluate against GET /ping over HTTP, on the full stack (autocannon).
  { name: 'http', candidates: ['src/http.mjs', 'src/http.js', 'src/http.ts'] },
  // 3: the impact preview, POST /flags/:key/impact, over 100,000 tenants.
  { name: 'impact', candidates: ['src/impact.mjs'] },
  // 4: OFREP change notifications fanned out to 10,000 open event streams.
  { name: 'push', candidates: ['src/push.mjs'] },
  // 5: applying one change to the evaluation snapshot at 100,000 tenants (CPU).
  { name: 'snapshot', candidates: ['src/snapshot.mjs'] },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const bench of BENCHMARKS) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  const file = bench.candidates.map((c) => new URL(c, import.meta.url)).find((u) => existsSync(u));
  if (!file) {
    console.log(`\n== ${bench.name}: skipped (none of ${bench.candidates.join(', ')} exists yet)`);
    continue;
  }
  console.log(`\n== ${bench.name} (${file.pathname})`);
  try {
    const mod = /** @type {{ main?: () => Promise<unknown> }} */ (await import(pathToFileURL(file.pathname).href));
    if (typeof mod.main !== 'function') throw new Error(`${file.pathname} does not export main()`);
    const result = /** @type {{ ok?: boolean } | undefined} */ (await mod.main());
    if (result && result.ok === false) throw new Error(`${bench.name} reported failure`);
  } catch (err) {
    failed++;
    console.error(`\n== ${bench.name}: FAILED\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
process.exit(failed > 0 ? 1 : 0);

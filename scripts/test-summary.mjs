// Adds up the Vitest JSON reports of every package into one closing line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const s = r.numPendingTests + (r.numTodoTests ?? 0);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += s;
  rows.push(`  ${file.replace(/\.json$/, '').padEnd(48)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(4)} failed`);
}
console.log('\nTest suites:');
console.log(rows.join('\n') || '  (none ran)');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || rows.length === 0 ? 1 : 0);

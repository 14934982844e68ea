// Vitest reporters for a package: the default one, plus a JSON report when the workspace's
// test command asks for it (VITEST_REPORT_DIR), which scripts/test-summary.mjs adds up.
export function reporters(name) {
  const dir = process.env.VITEST_REPORT_DIR;
  if (!dir) return ['default'];
  const task = process.env.npm_lifecycle_event ?? 'vitest';
  return ['default', ['json', { outputFile: `${dir}/${name}-${task}.json` }]];
}

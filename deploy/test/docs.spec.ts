import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressesOf, startDevPlatform, type DevPlatform } from '../src/dev-platform.js';
import { ROOT } from '../src/paths.js';
import { DEZKY_METRICS, PROM_CLIENT_DEFAULT_METRICS } from '../src/metric-names.js';
import { checklist, retarget, runBlock, runnableBlocksOf } from '../src/runnable.js';

/** The operations documents, next to README.md. */
const DOCUMENTS = ['SERVICES.md', 'AUTHENTIK-SETUP.md', 'TROUBLESHOOTING.md', 'NEXT-STEPS.md'];
/** Every document whose runnable commands are run, and whose checklists are held to the repository. */
const CHECKED = ['README.md', ...DOCUMENTS, 'OPERATOR-PLAN.md', 'ARCHITECTURE.md'];

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the operations documents', () => {
  it.each(DOCUMENTS)('%s exists and the README links it', (file) => {
    expect(existsSync(path.join(ROOT, file))).toBe(true);
    expect(read('README.md')).toContain(`](${file})`);
  });

  it.each(['NEXT-STEPS.md', 'OPERATOR-PLAN.md'])('%s is a checklist whose done items name the code or test that does them, and it exists', (file) => {
    const items = checklist(read(file));
    expect(items.filter((i) => i.done).length).toBeGreaterThan(0);
    const unproven = items.filter((i) => i.done && i.paths.length === 0).map((i) => `${file}:${i.line} ${i.text}`);
    expect(unproven, 'a done item names at least one repository path in backticks').toEqual([]);
    const missing = items.flatMap((i) => i.paths.filter((p) => !existsSync(path.join(ROOT, p))).map((p) => `${file}:${i.line} ${p}`));
    expect(missing, 'the paths items name exist').toEqual([]);
  });
});

const blocks = runnableBlocksOf(CHECKED.filter((f) => existsSync(path.join(ROOT, f))));

describe('the documents\' runnable commands, against scripts/dev.sh\'s platform', () => {
  let platform: DevPlatform;

  beforeAll(async () => {
    platform = await startDevPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('there are some in each operations document', () => {
    for (const file of DOCUMENTS.filter((f) => f !== 'NEXT-STEPS.md')) expect(blocks.some((b) => b.file === file), file).toBe(true);
  });

  it('serves, on its metrics port, every metric the dashboard and alert rules may query, of the type they expect', async () => {
    const text = await (await fetch(`http://127.0.0.1:${platform.ports.metrics}/metrics`)).text();
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    for (const metric of DEZKY_METRICS) expect(types.get(metric.name), metric.name).toBe(metric.type);
    const missing = PROM_CLIENT_DEFAULT_METRICS.filter((name) => !types.has(name));
    expect(missing, 'prom-client default metrics the dashboard may use').toEqual([]);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', async (_where, block) => {
    const run = await runBlock(retarget(block.code, addressesOf(platform.ports)), platform.env);
    expect(run.code, `${block.file}:${block.line} exited with ${run.code}:\n${run.output}`).toBe(0);
  });
});

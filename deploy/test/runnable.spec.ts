import { describe, expect, it } from 'vitest';
import { checklist, retarget, runBlock, runnableBlocks } from '../src/runnable.js';

const doc = [
  '# A document',
  '```bash runnable',
  'curl -fsS http://127.0.0.1:3001/health',
  '```',
  '```bash',
  'docker compose up',
  '```',
  '- step:',
  '  ````sh runnable',
  '  echo "```"',
  '  ````',
  '- [x] planned ramps (`e2e/test/operator-flag-schedule.e2e.ts`)',
  '- [ ] a pending-count badge',
  '  in the sidebar',
].join('\n');

describe('runnable blocks of a document', () => {
  it('are the shell blocks marked runnable, with their lines, indented ones and longer fences included', () => {
    expect(runnableBlocks(doc, 'X.md')).toEqual([
      { file: 'X.md', line: 2, code: 'curl -fsS http://127.0.0.1:3001/health' },
      { file: 'X.md', line: 9, code: 'echo "```"' },
    ]);
  });

  it('are retargeted at the platform under test', () => {
    expect(retarget('curl http://127.0.0.1:3001/a http://127.0.0.1:3001/b', { '127.0.0.1:3001': '127.0.0.1:40001' })).toBe('curl http://127.0.0.1:40001/a http://127.0.0.1:40001/b');
  });

  it('fail when a command fails, also inside a pipe', async () => {
    expect((await runBlock('echo ok', process.env)).code).toBe(0);
    expect((await runBlock('false | cat', process.env)).code).not.toBe(0);
    const run = await runBlock('echo before; exit 3', process.env);
    expect(run).toEqual({ code: 3, output: 'before\n' });
  });

  it('are stopped when they run too long', async () => {
    const run = await runBlock('sleep 5', process.env, 200);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('killed after 200 ms');
  });
});

describe('checklists', () => {
  it('say what is done and the paths each item names, over its continued lines', () => {
    expect(checklist(doc)).toEqual([
      { line: 12, done: true, text: 'planned ramps (`e2e/test/operator-flag-schedule.e2e.ts`)', paths: ['e2e/test/operator-flag-schedule.e2e.ts'] },
      { line: 13, done: false, text: 'a pending-count badge in the sidebar', paths: [] },
    ]);
  });
});

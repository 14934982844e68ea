import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

/**
 * The operations documents' commands that can run on a development machine are fenced
 * blocks whose info string names a shell and the word `runnable`:
 *
 *     ```bash runnable
 *     curl -fsS http://127.0.0.1:3001/health
 *     ```
 *
 * The documentation test runs each against `scripts/dev.sh`'s platform, so a document whose
 * command stopped working fails the test command.
 */
export interface RunnableBlock {
  /** The document, relative to the repository's root. */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const RUNNABLE = /^(bash|sh|shell)\b.*\brunnable\b/;

/** The runnable blocks of one Markdown text, in order. */
export function runnableBlocks(markdown: string, file: string): RunnableBlock[] {
  const blocks: RunnableBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const t = line.trim();
      if (t.length >= fence.length && t === fence.charAt(0).repeat(t.length)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    if (RUNNABLE.test(info.trim())) blocks.push({ file, line: i + 1, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The runnable blocks of documents at the repository's root. */
export function runnableBlocksOf(files: string[]): RunnableBlock[] {
  return files.flatMap((file) => runnableBlocks(readFileSync(path.join(ROOT, file), 'utf8'), file));
}

/** Where the documents say the platform listens, and where the one under test does. */
export type Addresses = Record<string, string>;

/** A block's code with the documents' addresses (`127.0.0.1:3001`) replaced by the test platform's. */
export function retarget(code: string, addresses: Addresses): string {
  let out = code;
  for (const [documented, actual] of Object.entries(addresses)) out = out.split(documented).join(actual);
  return out;
}

export interface BlockRun {
  code: number | null;
  output: string;
}

/** Runs one block with bash (`-euo pipefail`) from the repository's root; its stdout and stderr, interleaved. */
export function runBlock(code: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<BlockRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', code], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, output });
    });
  });
}

/** Checklist items (`- [x] ...`, `- [ ] ...`) of a Markdown text, with the repository paths they name in backticks. */
export interface ChecklistItem {
  line: number;
  done: boolean;
  text: string;
  paths: string[];
}

const ITEM = /^\s*[-*] \[( |x|X)\] (.*)$/;
const PATH = /`((?:[\w.@-]+\/)+[\w.@-]+)`/g;

export function checklist(markdown: string): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    const match = ITEM.exec(line);
    if (!match) return;
    // An item goes on over the indented lines after it.
    let text = match[2]!;
    for (let j = i + 1; j < lines.length && /^\s{2,}\S/.test(lines[j]!) && !ITEM.test(lines[j]!); j++) text += ` ${lines[j]!.trim()}`;
    items.push({ line: i + 1, done: match[1] !== ' ', text, paths: [...text.matchAll(PATH)].map((m) => m[1]!) });
  });
  return items;
}

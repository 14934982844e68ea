import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);
const sources = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  .map((file) => ({ file, text: readFileSync(new URL(file, srcDir), 'utf8') }));
const importsOf = (text: string): string[] =>
  [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'|\bimport\s+'([^']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

describe('purity', () => {
  it('finds the sources', () => {
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining(['index.ts', 'bucket.ts', 'scope.ts']));
  });

  it('imports nothing but its own modules, and node:crypto only in bucket.ts', () => {
    for (const { file, text } of sources) {
      for (const spec of importsOf(text)) {
        if (file === 'bucket.ts' && spec === 'node:crypto') continue;
        expect({ file, spec }).toEqual({ file, spec: expect.stringMatching(/^\.\/[a-z]+\.js$/) });
      }
    }
  });

  // Callers own every piece of state (a RolloutBuckets store, a CompiledFlags set): nothing is
  // kept at module level, so two callers in one process never see each other's work.
  it('declares no module-level mutable state', () => {
    // A frozen array or object literal is a constant; a frozen Map or Set still changes.
    const allowedInitialiser = /^(?:-?\d[\d_]*(?:\.\d+)?|'[^']*'|"[^"]*"|true|false|null|Object\.freeze\((?!\s*new\b))/;
    for (const { file, text } of sources) {
      for (const line of text.split('\n')) {
        expect({ file, line }).not.toEqual({ file, line: expect.stringMatching(/^(?:export\s+)?(?:let|var)\s/) });
        expect({ file, line }).not.toEqual({ file, line: expect.stringMatching(/^\s+static\s+(?!readonly\s)[\w#]+\s*[:=;]/) });
        expect({ file, line }).not.toEqual({ file, line: expect.stringMatching(/\bglobalThis\b/) });
        const constant = /^(?:export\s+)?const\s+[\w$]+\s*(?::[^=]+)?=\s*(.*)$/.exec(line);
        if (constant) expect({ file, line, initialiser: allowedInitialiser.test(constant[1]!) }).toEqual({ file, line, initialiser: true });
        // A readonly static field holds whatever its initialiser makes: a Map there is shared state too.
        const field = /^\s+(?:(?:public|private|protected)\s+)?static\s+readonly\s+[\w#]+\s*(?::[^=]+)?=\s*(.*)$/.exec(line);
        if (field) expect({ file, line, initialiser: allowedInitialiser.test(field[1]!) }).toEqual({ file, line, initialiser: true });
      }
    }
  });

  it('exports only functions, classes, primitives and frozen values', async () => {
    const deepFrozen = (v: unknown): boolean =>
      typeof v !== 'object' || v === null || (Object.isFrozen(v) && Object.values(v).every(deepFrozen));
    for (const { file } of sources) {
      const mod = (await import(/* @vite-ignore */ new URL(file, srcDir).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        expect({ file, name, ok: typeof value === 'function' || deepFrozen(value) }).toEqual({ file, name, ok: true });
      }
    }
  });

  it('keeps scope.ts (the browser-safe entry) free of runtime imports', () => {
    const scope = sources.find((s) => s.file === 'scope.ts')!;
    expect(scope.text).not.toMatch(/^import (?!type )/m);
  });
});

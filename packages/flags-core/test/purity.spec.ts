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

  it('keeps scope.ts (the browser-safe entry) free of runtime imports', () => {
    const scope = sources.find((s) => s.file === 'scope.ts')!;
    expect(scope.text).not.toMatch(/^import (?!type )/m);
  });
});

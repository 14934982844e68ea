#!/usr/bin/env node
// Holds the workspace to ARCHITECTURE.md's "may import" column: the code each part ships (not its
// tests, benchmarks or scripts) imports only the parts listed for it. Within the API,
// dependency-cruiser holds the finer rules (services/platform-api/.dependency-cruiser*.cjs).
// Exits 1 naming every import that breaks the rule.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each part: the folders of the code it ships, and the parts that code may import. */
const PARTS = {
  'packages/contracts': { code: ['src'], mayImport: [] },
  'packages/flags-core': { code: ['src'], mayImport: [] },
  'packages/nuxt-shared': { code: ['app', 'server', 'shared', 'dezky-app.ts', 'nuxt.config.ts'], mayImport: ['@dezky/contracts'] },
  'apps/operator': { code: ['app', 'server', 'shared', 'nuxt.config.ts'], mayImport: ['@dezky/contracts', '@dezky/nuxt-shared', '@dezky/flags-core/scope'] },
  'apps/portal': { code: ['app', 'server', 'shared', 'nuxt.config.ts'], mayImport: ['@dezky/contracts', '@dezky/nuxt-shared'] },
  'services/platform-api': { code: ['src'], mayImport: ['@dezky/contracts', '@dezky/flags-core'] },
  'services/dev-idp': { code: ['src'], mayImport: [] },
  'packages/test-stack': { code: ['src'], mayImport: ['@dezky/dev-idp'] },
};

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|vue)$/;
const TEST = /(\.spec|\.test|\.e2e)\.[a-z]+$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](@dezky\/[^'"]+)['"]/g;

/** @param {string} p @returns {string[]} */
function files(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return [];
  }
  if (stat.isFile()) return SOURCE.test(p) && !TEST.test(p) ? [p] : [];
  return readdirSync(p).flatMap((name) => (name === 'node_modules' || name.startsWith('.') ? [] : files(path.join(p, name))));
}

/** True when `specifier` is one of `allowed` or a subpath export the list names exactly. */
const allowedImport = (specifier, allowed) => allowed.some((a) => specifier === a || (a.split('/').length === 2 && specifier.startsWith(`${a}/`) && !allowed.some((b) => b.startsWith(`${a}/`))));

const broken = [];
let checked = 0;
for (const [part, { code, mayImport }] of Object.entries(PARTS)) {
  for (const file of code.flatMap((c) => files(path.join(ROOT, part, c)))) {
    checked++;
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(IMPORT)) {
      if (!allowedImport(specifier, mayImport)) broken.push(`${path.relative(ROOT, file)} imports ${specifier}; ${part} may import ${mayImport.join(', ') || 'no part of ours'}`);
    }
  }
}
if (broken.length) {
  console.error(`check-parts: ${broken.length} import(s) against ARCHITECTURE.md:\n  ${broken.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-parts: ${checked} files of ${Object.keys(PARTS).length} parts import only what ARCHITECTURE.md allows`);

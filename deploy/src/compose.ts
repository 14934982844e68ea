import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { DEPLOY, ROOT } from './paths.js';

/** The Compose specification's JSON schema (deploy/schemas/compose, draft 2020-12). */
export function composeSchema(): object {
  return JSON.parse(readFileSync(path.join(DEPLOY, 'schemas/compose/compose-spec.json'), 'utf8')) as object;
}

/** The repository's docker-compose.yml, parsed. */
export function composeFile(file = path.join(ROOT, 'docker-compose.yml')): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The schema's complaints about a Compose document, one line each; empty when it is valid. */
export function composeErrors(doc: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(composeSchema());
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

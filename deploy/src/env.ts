import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

/** The repository's sample of the .env file docker-compose.yml reads. */
export const ENV_EXAMPLE_FILE = path.join(ROOT, '.env.example');

export interface EnvVariable {
  name: string;
  value: string;
  /** The comment lines of the paragraph it is in, above it: what it is for. */
  comment: string[];
  line: number;
}

/** Names of secrets by convention: these must be samples anyone can tell apart (SAMPLE_SECRETS). */
export const SECRET_NAME = /_(SECRET|PASSWORD|TOKEN|KEY)$/;

/** The variables of a .env file, in order; throws on a line that is neither a variable, a comment nor blank. */
export function parseEnvFile(text: string): EnvVariable[] {
  const variables: EnvVariable[] = [];
  let comment: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      comment = [];
      return;
    }
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
      return;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`line ${i + 1} is not NAME=value: ${raw}`);
    variables.push({ name: match[1]!, value: match[2]!, comment: [...comment], line: i + 1 });
  });
  return variables;
}

export function envExample(file = ENV_EXAMPLE_FILE): EnvVariable[] {
  return parseEnvFile(readFileSync(file, 'utf8'));
}

/**
 * The variables a Compose file's text interpolates: `${NAME}`, `${NAME:-default}`, `${NAME:?error}`
 * and `$NAME`, not the escaped `$${NAME}` (a dollar for the container's shell).
 */
export function interpolatedVariables(composeText: string): string[] {
  const names = new Set<string>();
  for (const m of composeText.matchAll(/(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    names.add((m[1] ?? m[2])!);
  }
  return [...names].sort();
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE_SECRETS } from '@dezky/contracts';
import { describe, expect, it } from 'vitest';
import { envExample, interpolatedVariables, parseEnvFile, SECRET_NAME } from '../src/env.js';
import { ROOT } from '../src/paths.js';

const composeText = () => readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

describe('.env.example', () => {
  it('lists every variable docker-compose.yml interpolates, and no other', () => {
    const listed = envExample().map((v) => v.name).sort();
    expect(listed).toEqual(interpolatedVariables(composeText()));
  });

  it('says what each variable is for', () => {
    for (const v of envExample()) expect(v.comment.join(' '), v.name).not.toBe('');
  });

  it('gives each secret an obvious sample value, listed in SAMPLE_SECRETS for production to refuse', () => {
    const secrets = envExample().filter((v) => SECRET_NAME.test(v.name));
    expect(secrets.map((v) => v.name)).toEqual(expect.arrayContaining(['EVENT_STREAM_SECRET', 'AUTHENTIK_API_TOKEN', 'OPERATOR_SESSION_PASSWORD', 'OPERATOR_OIDC_CLIENT_SECRET', 'AUTHENTIK_SECRET_KEY']));
    for (const v of secrets) {
      expect(v.value, v.name).toMatch(/^sample-.*change-me/);
      expect(SAMPLE_SECRETS, v.name).toContain(v.value);
    }
    expect([...SAMPLE_SECRETS].sort()).toEqual(secrets.map((v) => v.value).sort());
  });

  it('gives the secrets the apps and the API check for length values long enough to start with', () => {
    const byName = new Map(envExample().map((v) => [v.name, v.value]));
    for (const name of ['EVENT_STREAM_SECRET', 'OPERATOR_SESSION_PASSWORD', 'PORTAL_SESSION_PASSWORD']) expect(byName.get(name)!.length, name).toBeGreaterThanOrEqual(32);
  });

  it('has no secret docker-compose.yml would default instead of requiring', () => {
    for (const name of interpolatedVariables(composeText()).filter((n) => SECRET_NAME.test(n))) {
      expect(composeText(), name).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
      expect(composeText(), name).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
    }
  });
});

describe('the checks of .env.example', () => {
  it('see a compose variable .env.example lacks', () => {
    const text = composeText().replace('"${RATE_LIMIT_EVALUATION:-3000/10s}"', '"${RATE_LIMIT_EVALUATIONS:-3000/10s}"');
    expect(interpolatedVariables(text)).toContain('RATE_LIMIT_EVALUATIONS');
    expect(interpolatedVariables(text)).not.toEqual(envExample().map((v) => v.name).sort());
  });

  it('read $NAME and ${NAME...} but not the escaped $${NAME}', () => {
    expect(interpolatedVariables('a: ${ONE:?x} b: $TWO c: $${THREE} d: ${FOUR:-4} e: $$FIVE')).toEqual(['FOUR', 'ONE', 'TWO']);
  });

  it('see a variable without a comment, and a secret that is not a listed sample', () => {
    const parsed = parseEnvFile('# What A is for.\nA=1\n\nB_SECRET=hunter2\n');
    expect(parsed.map((v) => [v.name, v.comment.length])).toEqual([
      ['A', 1],
      ['B_SECRET', 0],
    ]);
    expect(SAMPLE_SECRETS).not.toContain(parsed[1]!.value);
    expect(() => parseEnvFile('export A=1\n')).toThrow(/not NAME=value/);
  });
});

/**
 * The two CLIs, run as real processes from a private build (so the test does not depend on, nor
 * race with, the package's own `dist/`).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevIdp, type DevIdpHandle } from '../src/index.js';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let outDir: string;
let idp: DevIdpHandle;

beforeAll(async () => {
  // Inside the package so that node resolves oidc-provider/jose from its node_modules.
  outDir = await mkdtemp(join(packageDir, '.test-dist-'));
  await run(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: packageDir,
  });
  idp = await startDevIdp({ port: 0 });
}, 60_000);

afterAll(async () => {
  await idp?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('NODE_ENV' in extra)) delete env.NODE_ENV;
  return env;
}

describe('token CLI', () => {
  it('prints just a verifiable access token', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        join(outDir, 'token.js'),
        '--app',
        'operator',
        '--user',
        'admin@dezky.test',
        '--password',
        'admin-password',
        '--issuer-base',
        idp.baseUrl,
      ],
      { env: childEnv({}) },
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const jwks = createRemoteJWKSet(new URL(`${idp.issuers.operator}jwks`));
    const { payload } = await jwtVerify(token, jwks, { issuer: idp.issuers.operator, audience: 'dezky-operator' });
    expect(payload).toMatchObject({ sub: 'user-admin', email: 'admin@dezky.test' });
  });

  it('exits 1 with a message on a wrong password', async () => {
    const attempt = run(
      process.execPath,
      [join(outDir, 'token.js'), '--app', 'portal', '--user', 'alice@customer.test', '--password', 'nope', '--issuer-base', idp.baseUrl],
      { env: childEnv({}) },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/Invalid username or password/),
    });
  });
});

describe('server CLI', () => {
  it('refuses to start with NODE_ENV=production', async () => {
    await expect(
      run(process.execPath, [join(outDir, 'main.js')], { env: childEnv({ NODE_ENV: 'production', DEV_IDP_PORT: '0' }) }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/refuses to start: NODE_ENV=production/) });
  });

  it('starts, prints both issuers, serves discovery and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(outDir, 'main.js')], {
      env: childEnv({ DEV_IDP_PORT: '0', DEV_IDP_OPERATOR_REDIRECT_URIS: 'http://127.0.0.1:3999/cb, http://localhost:3999/cb' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      const issuers = await new Promise<{ operator: string; portal: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no issuers printed: ${output}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const operator = /operator issuer: (\S+)/.exec(output)?.[1];
          const portal = /portal issuer:\s+(\S+)/.exec(output)?.[1];
          if (operator && portal) {
            clearTimeout(timer);
            resolve({ operator, portal });
          }
        });
        child.once('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      expect(issuers.operator).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/application\/o\/dezky-operator\/$/);
      expect(issuers.portal).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/application\/o\/dezky-portal\/$/);
      for (const issuer of [issuers.operator, issuers.portal]) {
        const document = (await (await fetch(`${issuer}.well-known/openid-configuration`)).json()) as { issuer: string };
        expect(document.issuer).toBe(issuer);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

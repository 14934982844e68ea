import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

const MAIN = path.resolve(__dirname, '../../dist/main.js');

function boot(env: Record<string, string>) {
  return spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('boot with a bad configuration', () => {
  it('stops with a message naming a missing MONGO_URL', () => {
    const r = boot({ PORT: '3999' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toMatch(/MONGO_URL: .*required/);
  });

  it('stops with a message naming each bad variable', () => {
    const r = boot({ MONGO_URL: inject('mongoUrl'), PORT: 'abc', APP_ENV: 'moon' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PORT: /);
    expect(r.stderr).toMatch(/APP_ENV: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

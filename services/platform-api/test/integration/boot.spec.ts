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

  it('stops with a message naming a bad METRICS_PORT', () => {
    const r = boot({ MONGO_URL: inject('mongoUrl'), PORT: '3999', METRICS_PORT: 'prometheus' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('METRICS_PORT: must be a port number (1-65535), or 0 to turn metrics off');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('a running API', () => {
  it('serves /health and shuts down cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { createServer } = await import('node:net');
    const freePort = () =>
      new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
    const port = await freePort();
    const metricsPort = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', MONGO_URL: inject('mongoUrl'), MONGO_DB_NAME: `boot_${port}`, PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the API did not start in 30 s')), 30_000);
        child.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', mongo: 'up' });
      // The metrics on their own port (on HOST, the API's), and only there.
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^dezky_mongodb_up 1$/m);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
        const t0 = Date.now();
        child.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - t0 }));
      });
      child.kill('SIGTERM');
      // Nest runs the shutdown hooks (HTTP server, MongoDB connection, snapshot timer) and then
      // re-raises the signal, so a clean stop ends by SIGTERM, promptly, not by a kill or a hang.
      const end = await exited;
      expect(end.code === 0 || end.signal === 'SIGTERM', JSON.stringify(end)).toBe(true);
      expect(end.ms).toBeLessThan(10_000);
      await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('drains on SIGTERM: ready answers 503 stopping while it still serves for SHUTDOWN_DRAIN_MS, then it stops', async () => {
    const { spawn } = await import('node:child_process');
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', MONGO_URL: inject('mongoUrl'), MONGO_DB_NAME: `boot_${port}`, PORT: String(port), METRICS_PORT: '0', SHUTDOWN_DRAIN_MS: '3000', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the API did not start in 30 s')), 30_000);
        child.stdout!.on('data', (d: Buffer) => {
          output += d.toString();
          if (output.includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      // It says it drains, and while it does, it is not ready but still answers.
      await new Promise<void>((resolve) => {
        const check = () => (output.includes('draining for 3000 ms') ? resolve() : setTimeout(check, 20));
        check();
      });
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'stopping' });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const end = await exited;
      expect(end.code === 0 || end.signal === 'SIGTERM', JSON.stringify(end)).toBe(true);
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PARENT = fileURLToPath(new URL('./stack-parent.mjs', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe.each(['SIGINT', 'SIGTERM'] as const)('a parent stopped with %s', (signal) => {
  it('takes the MongoDB-wire server and every other child with it', async () => {
    const parent = spawn(process.execPath, [PARENT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    parent.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const started = await until(() => out.includes('"mongo"') || parent.exitCode !== null, 60_000);
    expect(started && parent.exitCode === null, out).toBe(true);
    const { mongo, sleeper, url } = JSON.parse(out.slice(out.indexOf('{'), out.indexOf('}') + 1)) as { mongo: number; sleeper: number; url: string };
    const port = Number(new URL(url).port);
    try {
      expect(alive(mongo) && alive(sleeper)).toBe(true);
      expect(await listening(port)).toBe(true);

      const exited = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
      parent.kill(signal);
      expect(await Promise.race([exited, until(() => false, 15_000).then(() => 'still running')])).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(await until(() => !alive(mongo) && !alive(sleeper), 10_000)).toBe(true);
      expect(await listening(port)).toBe(false);
    } finally {
      // Whatever the outcome, this test leaves nothing running.
      for (const pid of [parent.pid, mongo, sleeper]) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 90_000);
});

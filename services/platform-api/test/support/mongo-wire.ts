import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const LAUNCHER_DIR = path.resolve(__dirname, '../../../../tools/mongo-wire');

export interface MongoWireServer {
  url: string;
  port: number;
  /** SIGTERM: the server closes its store as on an orderly shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash, with nothing flushed on the way out. */
  kill(): Promise<void>;
}

/**
 * Starts mongo-java-server (a real MongoDB-wire server) on 127.0.0.1. Port 0 picks a free
 * port; passing a port lets a test restart the server where clients expect it. With an
 * `h2File` the data is kept in that H2 file (as `scripts/dev.sh` runs it), else in memory.
 */
export async function startMongoWire(port = 0, h2File?: string): Promise<MongoWireServer> {
  if (!existsSync(path.join(LAUNCHER_DIR, 'lib'))) {
    throw new Error(`${LAUNCHER_DIR}/lib is missing: run the project's test command, which fetches the jars`);
  }
  const args = ['-cp', 'lib/*', 'Launcher.java', String(port), ...(h2File ? [h2File] : [])];
  const child: ChildProcess = spawn('java', args, { cwd: LAUNCHER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mongo-wire did not start in 60 s:\n${stderr}`)), 60_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /mongo-wire ready (mongodb:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mongo-wire exited with ${code}:\n${stderr}`));
    });
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    port: Number(new URL(url).port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

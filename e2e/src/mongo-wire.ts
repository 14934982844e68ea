// Starts mongo-java-server (tools/mongo-wire, a MongoDB-wire server) on 127.0.0.1 with its memory
// backend. The same logic as services/platform-api/test/support/mongo-wire.ts, kept separate so the
// two test suites do not depend on each other.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

const LAUNCHER_DIR = path.join(ROOT, 'tools/mongo-wire');

export interface MongoWireServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startMongoWire(port = 0): Promise<MongoWireServer> {
  if (!existsSync(path.join(LAUNCHER_DIR, 'lib'))) {
    throw new Error(`${LAUNCHER_DIR}/lib is missing: run the project's test command, which fetches the jars`);
  }
  const child: ChildProcess = spawn('java', ['-cp', 'lib/*', 'Launcher.java', String(port)], {
    cwd: LAUNCHER_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return {
    url,
    port: Number(new URL(url).port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

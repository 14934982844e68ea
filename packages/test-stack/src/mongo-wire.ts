import { existsSync } from 'node:fs';
import path from 'node:path';
import { baseEnv } from './env.js';
import { MONGO_WIRE_DIR } from './paths.js';
import { startProcess, waitUntilReady, type StackProcess } from './processes.js';

export interface MongoWireOptions {
  /** 0 (the default) picks a free port; a given one lets a caller restart the server where clients expect it. */
  port?: number;
  /** Keeps the data in this H2 file (durable, as scripts/dev.sh runs it); in memory without it. */
  h2File?: string;
  logFile?: string;
  echo?: string;
}

export interface MongoWire {
  /** e.g. mongodb://127.0.0.1:40123 (no database). */
  url: string;
  port: number;
  process: StackProcess;
  /** SIGTERM: the server closes its store as on an orderly shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash, with nothing flushed on the way out. */
  kill(): Promise<void>;
}

/** Starts mongo-java-server (tools/mongo-wire, a real MongoDB-wire server) on 127.0.0.1; resolves once it accepts connections. */
export async function startMongoWire(options: MongoWireOptions = {}): Promise<MongoWire> {
  if (!existsSync(path.join(MONGO_WIRE_DIR, 'lib'))) {
    throw new Error(`${MONGO_WIRE_DIR}/lib is missing: run bash scripts/env.sh bootstrap (or the test command), which fetches the jars`);
  }
  const args = ['-cp', 'lib/*', 'Launcher.java', String(options.port ?? 0), ...(options.h2File ? [options.h2File] : [])];
  const process = startProcess('mongo-wire', 'java', args, {
    cwd: MONGO_WIRE_DIR,
    env: baseEnv(),
    ...(options.logFile ? { logFile: options.logFile } : {}),
    ...(options.echo !== undefined ? { echo: options.echo } : {}),
  });
  try {
    const ready = await waitUntilReady(process, { line: /mongo-wire ready (mongodb:\/\/\S+)/ }, 90_000);
    const url = ready![1]!;
    return { url, port: Number(new URL(url).port), process, stop: () => process.stop(), kill: () => process.kill() };
  } catch (error) {
    await process.kill();
    throw error;
  }
}

import { existsSync } from 'node:fs';
import { baseEnv } from './env.js';
import { API_DIR, API_MAIN } from './paths.js';
import { freePort } from './ports.js';
import { startProcess, waitUntilReady, type StackProcess } from './processes.js';

export interface ApiOptions {
  /** The API's configuration (MONGO_URL, AUTHENTIK_ISSUERS, APP_ENV, ...), over PATH, HOME, HOST and PORT. */
  env: NodeJS.ProcessEnv;
  /** A free one unless given. */
  port?: number;
  /** Options of the API's node, before dist/main.js (e.g. `--max-semi-space-size=8`, as `pnpm start` runs it). */
  nodeArgs?: string[];
  logFile?: string;
  echo?: string;
  /** How long it may take to answer /health. */
  timeoutMs?: number;
}

export interface Api {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  process: StackProcess;
  stop(timeoutMs?: number): Promise<void>;
}

/** The built API (services/platform-api/dist/main.js) as its own process on 127.0.0.1; resolves once /health answers. */
export async function startApi(options: ApiOptions): Promise<Api> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build @dezky/platform-api first (pnpm build)`);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const process = startProcess('api', globalThis.process.execPath, [...(options.nodeArgs ?? []), API_MAIN], {
    cwd: API_DIR,
    env: { ...baseEnv(), HOST: '127.0.0.1', ...options.env, PORT: String(port) },
    ...(options.logFile ? { logFile: options.logFile } : {}),
    ...(options.echo !== undefined ? { echo: options.echo } : {}),
  });
  try {
    await waitUntilReady(process, { url: `${url}/health` }, options.timeoutMs ?? 90_000);
  } catch (error) {
    await process.kill();
    throw error;
  }
  return { url, port, process, stop: (timeoutMs) => process.stop(timeoutMs) };
}

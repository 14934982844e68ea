import { existsSync } from 'node:fs';
import { baseEnv } from './env.js';
import { API_DIR, API_MAIN } from './paths.js';
import { freePort } from './ports.js';
import { startProcess, waitUntilReady, type StackProcess } from './processes.js';

export interface ApiOptions {
  /**
   * The API's configuration (MONGO_URL, AUTHENTIK_ISSUERS, APP_ENV, ...), over PATH, HOME, HOST
   * and PORT. Metrics are off (METRICS_PORT=0) unless it names a METRICS_PORT: APIs started here
   * often run side by side, and the port has one fixed default.
   */
  env: NodeJS.ProcessEnv;
  /** A free one unless given. */
  port?: number;
  /** Options of the API's node, before dist/main.js; API_NODE_ARGS unless given. */
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

/**
 * How the API's node runs wherever it is deployed: the Dockerfile's CMD and `pnpm start` spell
 * the same options (a test holds them to these): a young generation of at most 3 x 8 MiB (under
 * load V8 otherwise commits 128 MiB to it on a large machine; 4 MiB ones promoted more to the
 * old generation and held as much or more RSS over the benchmark's full run, at no gain in
 * throughput). Not --optimize-for-size: it saved about 40 MiB of RSS at 10,000 tenants, but
 * once the live heap passed about 50 MiB its slow heap growth kept V8 collecting, and evaluation
 * served half as much (GC 49 us a request, not 18).
 */
export const API_NODE_ARGS: readonly string[] = Object.freeze(['--max-semi-space-size=8']);

/** The built API (services/platform-api/dist/main.js) as its own process on 127.0.0.1; resolves once /health answers. */
export async function startApi(options: ApiOptions): Promise<Api> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build @dezky/platform-api first (pnpm build)`);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const process = startProcess('api', globalThis.process.execPath, [...(options.nodeArgs ?? API_NODE_ARGS), API_MAIN], {
    cwd: API_DIR,
    env: { ...baseEnv(), HOST: '127.0.0.1', METRICS_PORT: '0', ...options.env, PORT: String(port) },
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

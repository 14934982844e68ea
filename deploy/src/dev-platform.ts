import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@dezky/test-stack';
import { ROOT } from './paths.js';

/** The ports `scripts/dev.sh` uses by default, as the documents write them. */
export const DOCUMENTED_PORTS = { mongo: 27017, idp: 9000, api: 3001, metrics: 9464, operator: 3100, portal: 3200 } as const;
export type PortName = keyof typeof DOCUMENTED_PORTS;

export interface DevPlatform {
  ports: Record<PortName, number>;
  /** The environment a command run against this platform gets (the dev IdP's port for the token tool, Node 24 first on PATH). */
  env: NodeJS.ProcessEnv;
  /** Everything the platform printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `scripts/dev.mjs`, the process `scripts/dev.sh` ends in (the workspace must be built),
 * on free ports and a data folder of its own, and resolves once it says it is running.
 */
export async function startDevPlatform(timeoutMs = 240_000): Promise<DevPlatform> {
  const ports = {} as Record<PortName, number>;
  for (const name of Object.keys(DOCUMENTED_PORTS) as PortName[]) ports[name] = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dezky-dev-'));
  const toolchain = path.join(ROOT, '.toolchain/bin');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${toolchain}:${process.env.PATH ?? ''}`,
    DEV_MONGO_PORT: String(ports.mongo),
    DEV_IDP_PORT: String(ports.idp),
    PORT: String(ports.api),
    METRICS_PORT: String(ports.metrics),
    OPERATOR_PORT: String(ports.operator),
    PORTAL_PORT: String(ports.portal),
    DEV_DATA_DIR: dataDir,
    NODE_ENV: 'development',
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'scripts/dev.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stopped = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await stopped;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripts/dev.mjs did not start in ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Dezky platform is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`scripts/dev.mjs exited with ${code ?? signal}:\n${output.slice(-4000)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { ports, env, output: () => output, stop };
}

/** What the documents write for each address, and what it is on this platform. */
export function addressesOf(ports: Record<PortName, number>): Record<string, string> {
  const addresses: Record<string, string> = {};
  for (const name of Object.keys(DOCUMENTED_PORTS) as PortName[]) {
    for (const host of ['127.0.0.1', 'localhost']) addresses[`${host}:${DOCUMENTED_PORTS[name]}`] = `${host}:${ports[name]}`;
  }
  return addresses;
}

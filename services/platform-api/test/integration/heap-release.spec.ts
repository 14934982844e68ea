import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { API_NODE_ARGS, announceBulkLoad, insertTenants } from '@dezky/test-stack';
import { inject } from 'vitest';
import { freshDbName } from '../support/app';

const MAIN = path.resolve(__dirname, '../../dist/main.js');
const TENANTS = 40_000;
const RELEASED = /released memory after a reload: RSS (\d+) -> (\d+) MiB in (\d+) ms/;

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });

/** VmRSS of a process, in MiB, as the operating system counts it. */
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/**
 * The built API in a process of its own (the memory asserted is the process's), as deployed.
 * Its JSON log lines are collected; `next(re)` waits for the next line matching re.
 */
function startApi(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [...API_NODE_ARGS, MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  /** Lines before this index have been matched or passed over by an earlier `next`. */
  let cursor = 0;
  let waiting: { re: RegExp; resolve: (m: RegExpExecArray) => void } | undefined;
  const check = () => {
    for (; waiting && cursor < lines.length; cursor++) {
      const m = waiting.re.exec(lines[cursor]!);
      if (m) {
        const { resolve } = waiting;
        waiting = undefined;
        cursor++;
        resolve(m);
        return;
      }
    }
  };
  let partial = '';
  const take = (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    check();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return {
    child,
    next: (re: RegExp, timeoutMs: number) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`no log line matching ${re} in ${timeoutMs} ms; last lines:\n${lines.slice(-10).join('\n')}`));
        }, timeoutMs);
        waiting = {
          re,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        check();
      }),
  };
}

describe('memory after a full reload of the read models', () => {
  let api: ReturnType<typeof startApi> | undefined;
  let db: mongoose.Connection | undefined;

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await db?.close();
  });

  it(`gives the operating system back what reloading ${TENANTS.toLocaleString('en')} tenants left behind`, async () => {
    const dbName = freshDbName('heap');
    const port = await freePort();
    api = startApi({ MONGO_URL: inject('mongoUrl'), MONGO_DB_NAME: dbName, PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: '0', LOG_LEVEL: 'info' });
    await api.next(/listening on/, 30_000);
    // The reload at boot is followed by a release of its own.
    await api.next(RELEASED, 15_000);

    db = await mongoose.createConnection(`${inject('mongoUrl')}/${dbName}`).asPromise();
    await insertTenants(db.db!, Array.from({ length: TENANTS }, (_, i) => ({ slug: `heap-${i}`, name: `Heap ${i}`, plan: 'business' })), { batch: 10_000, concurrency: 1 });
    // As an import announces itself: every read model reloads, in every process.
    await announceBulkLoad(db.db!, 'heap-release test import');

    const [, before, after, ms] = (await api.next(RELEASED, 30_000)).map(Number);
    console.log(`after a reload of ${TENANTS} tenants: RSS ${before} -> ${after} MiB, the release took ${ms} ms`);
    // The reload's garbage is a few hundred bytes per tenant, several times over.
    expect(before! - after!).toBeGreaterThan(25);
    // And it stays given back: the kernel's count, a moment later, is the released one.
    await new Promise((r) => setTimeout(r, 500));
    expect(rssMiB(api.child.pid!)).toBeLessThan(after! + 10);
  }, 120_000);
});

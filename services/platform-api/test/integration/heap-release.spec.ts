import { readFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { API_MAIN, API_NODE_ARGS, announceBulkLoad, freePort, insertTenants, startMongoWire, startProcess, type MongoWire, type StackProcess } from '@dezky/test-stack';
import { freshDbName } from '../support/app';

const TENANTS = 40_000;
const RELEASED = /released memory after a reload: RSS (\d+) -> (\d+) MiB in (\d+) ms/;

/** VmRSS of a process, in MiB, as the kernel counts it. */
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Every line a process prints, and a wait for the next one matching a pattern (failing early if the process exits). */
function linesOf(proc: StackProcess) {
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
  proc.child.stdout!.on('data', take);
  proc.child.stderr!.on('data', take);
  return (re: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const fail = (why: string) => {
        waiting = undefined;
        reject(new Error(`${why} before printing a line matching ${re}; last lines:\n${lines.slice(-10).join('\n')}`));
      };
      const timer = setTimeout(() => fail(`${timeoutMs} ms passed`), timeoutMs);
      const exited = () => {
        clearTimeout(timer);
        fail('the API exited');
      };
      proc.child.once('exit', exited);
      waiting = {
        re,
        resolve: (m) => {
          clearTimeout(timer);
          proc.child.off('exit', exited);
          resolve(m);
        },
      };
      check();
    });
}

describe('memory after a full reload of the read models', () => {
  let mongo: MongoWire;
  let api: StackProcess | undefined;
  let db: mongoose.Connection | undefined;

  beforeAll(async () => {
    // A server of its own: 40k inserts would lengthen the shared server's oplog for every file.
    mongo = await startMongoWire();
  }, 120_000);

  afterAll(async () => {
    await api?.kill();
    await db?.close();
    await mongo?.stop();
  });

  it(`gives the system back what reloading ${TENANTS.toLocaleString('en')} tenants left behind`, async () => {
    const dbName = freshDbName('heap');
    // The built API in a process of its own, as deployed: the memory asserted is that process's.
    api = startProcess('api', process.execPath, [...API_NODE_ARGS, API_MAIN], {
      cwd: path.dirname(path.dirname(API_MAIN)),
      env: { PATH: process.env.PATH ?? '', MONGO_URL: mongo.url, MONGO_DB_NAME: dbName, HOST: '127.0.0.1', PORT: String(await freePort()), METRICS_PORT: '0', LOG_LEVEL: 'info' },
    });
    const next = linesOf(api);
    // The reload at boot is followed by a release of its own.
    await next(RELEASED, 60_000);

    db = await mongoose.createConnection(`${mongo.url}/${dbName}`).asPromise();
    await insertTenants(db.db!, Array.from({ length: TENANTS }, (_, i) => ({ slug: `heap-${i}`, name: `Heap ${i}`, plan: 'business' })), { batch: 10_000, concurrency: 1 });
    const baseline = rssMiB(api.pid!);
    // As an import announces itself: every read model reloads, in every process.
    await announceBulkLoad(db.db!, 'heap-release test import');

    const [, before, after, ms] = (await next(RELEASED, 60_000)).map(Number);
    await new Promise((r) => setTimeout(r, 500));
    const settled = rssMiB(api.pid!);
    console.log(`reload of ${TENANTS} tenants: RSS ${baseline.toFixed(0)} MiB before it, ${before} at its end, ${after} after the release (${ms} ms), ${settled.toFixed(0)} a moment later`);
    // The reload's garbage is a few hundred bytes per tenant, several times over...
    expect(before! - after!).toBeGreaterThan(25);
    // ...and more than half of what the reload added is given back, by the kernel's count (a
    // plain full collection frees the objects but keeps the pages: it gives back far less).
    expect(settled - baseline).toBeLessThan((before! - baseline) / 2);
  }, 180_000);
});

import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestBytes, requestHead } from '../src/http-request.mjs';
import type { LoadOptions, LoadResult } from '../src/load-worker.mjs';

const requestBuilder = createRequire(import.meta.url)('autocannon/lib/httpRequestBuilder.js') as (
  defaults: Record<string, unknown>,
) => (req: Record<string, unknown>) => Buffer;

describe('request bytes', () => {
  const defaults = { method: 'POST', host: '127.0.0.1:4321', hostname: '127.0.0.1', port: 4321, headers: { authorization: 'Bearer abc.def', 'content-type': 'application/json' } };
  const head = requestHead({ method: 'POST', path: '/ofrep/v1/evaluate/flags', host: '127.0.0.1:4321', headers: defaults.headers });

  it('are what autocannon builds, with a body and per-request headers', () => {
    const body = '{"context":{"targetingKey":"acme-1"}}';
    const ours = requestBytes(head, body, { 'if-none-match': '"x.3.acme-1"' });
    const theirs = requestBuilder(defaults)({ method: 'POST', path: '/ofrep/v1/evaluate/flags', body, headers: { 'if-none-match': '"x.3.acme-1"' } });
    expect(ours.toString()).toBe(theirs.toString());
  });

  it('are what autocannon builds without a body, and count bytes, not characters', () => {
    const get = requestHead({ method: 'GET', path: '/ping', host: '127.0.0.1:4321', headers: { authorization: 'Bearer abc' } });
    expect(requestBytes(get, undefined).toString()).toBe(
      requestBuilder({ ...defaults, method: 'GET', headers: { authorization: 'Bearer abc' } })({ method: 'GET', path: '/ping' }).toString(),
    );
    const body = '{"tenantSlug":"m\u00fcller-1"}';
    expect(requestBytes(head, body).toString()).toBe(requestBuilder(defaults)({ method: 'POST', path: '/ofrep/v1/evaluate/flags', body }).toString());
  });
});

describe('the load worker', () => {
  let worker: ChildProcess;
  let server: Server;
  let port = 0;
  // What the server received, per connection, in order: [body, if-none-match].
  let seen = new Map<unknown, Array<[string, string | undefined]>>();
  const pending = new Map<number, (r: LoadResult) => void>();
  let nextId = 1;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const list = seen.get(req.socket) ?? [];
        list.push([body, req.headers['if-none-match']]);
        seen.set(req.socket, list);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
    worker = fork(fileURLToPath(new URL('../src/load-worker.mjs', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: { type: string; id?: number; result?: LoadResult; message?: string }) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'result' && msg.id !== undefined) pending.get(msg.id)?.(msg.result as LoadResult);
        else if (msg.type === 'error') reject(new Error(msg.message));
      });
    });
  });

  afterAll(async () => {
    worker.kill();
    await new Promise((resolve) => server.close(resolve));
  });

  const run = (options: Omit<LoadOptions, 'url' | 'title'>) =>
    new Promise<LoadResult>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.send({ type: 'run', id, options: { ...options, url: `http://127.0.0.1:${port}`, title: `test ${id}` } });
    });

  const bodies = Array.from({ length: 40 }, (_, i) => JSON.stringify({ i }));
  const bodyHeaders = bodies.map((_, i) => ({ 'if-none-match': `"tag-${i}"` }));
  const load = { method: 'POST' as const, path: '/x', headers: { 'content-type': 'application/json' }, bodies, bodyHeaders, connections: 4, durationS: 1, key: 'k' };
  const index = (entry: [string, string | undefined]) => (JSON.parse(entry[0]) as { i: number }).i;

  it('sends each connection its own bodies in turn, each with its own headers', async () => {
    seen = new Map();
    const result = await run(load);
    expect(result.requests).toBeGreaterThan(40);
    expect(result.non2xx + result.errors).toBe(0);
    expect(seen.size).toBe(4);
    for (const list of seen.values()) {
      const k = index(list[0] as [string, string]) % 4;
      for (const [j, entry] of list.entries()) {
        expect(entry[1]).toBe(`"tag-${index(entry)}"`);
        expect(index(entry)).toBe(k + 4 * (j % 10)); // connection k: bodies k, k + 4, ... in turn
      }
    }
  });

  it('carries on, per connection, where the previous load with its key stopped', async () => {
    const before = new Map([...seen.values()].map((list) => [index(list[0] as [string, string]) % 4, list]));
    seen = new Map();
    await run({ ...load, durationS: 1 });
    for (const list of seen.values()) {
      const first = index(list[0] as [string, string]);
      const prev = before.get(first % 4) ?? [];
      const last = index(prev.at(-1) as [string, string]);
      // The previous load's last request was answered (carry on after it) or still in flight.
      expect([last, (last + 4) % 40]).toContain(first);
    }
  });
});

import { request } from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIB,
  formatHeapSpaces,
  formatVerdict,
  jsonBodyOfSize,
  parseStatusBytes,
  roundOrder,
  roundRatios,
  spreadPicks,
  summarizeRss,
  typicalSize,
  unexpectedResponses,
  verdict,
} from '../src/http-summary.mjs';

describe('the ceiling body', () => {
  it('is valid JSON of exactly the asked size', () => {
    for (const bytes of [8, 9, 100, 2_554, 14_457]) {
      const body = jsonBodyOfSize(bytes);
      expect(Buffer.byteLength(body)).toBe(bytes);
      expect(() => JSON.parse(body)).not.toThrow();
    }
  });

  it('refuses sizes no JSON object fits in', () => {
    expect(() => jsonBodyOfSize(7)).toThrow(RangeError);
    expect(() => jsonBodyOfSize(10.5)).toThrow(RangeError);
  });

  it('is sized at the median answer, rounded', () => {
    expect(typicalSize([2_550, 2_560, 2_554])).toBe(2_554);
    expect(typicalSize([100, 101])).toBe(101); // 100.5 rounds up
    expect(() => typicalSize([])).toThrow(RangeError);
  });
});

describe('the order of the endpoints in a round', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('rotates from round to round and reverses even rounds', () => {
    expect(roundOrder(ids, 1)).toEqual(['a', 'b', 'c', 'd']);
    expect(roundOrder(ids, 2)).toEqual(['a', 'd', 'c', 'b']);
    expect(roundOrder(ids, 3)).toEqual(['c', 'd', 'a', 'b']);
    expect(roundOrder(ids, 4)).toEqual(['c', 'b', 'a', 'd']);
    expect(roundOrder(ids, 5)).toEqual(ids);
  });

  it('keeps every endpoint once and does not change its input', () => {
    for (let r = 1; r <= 9; r++) expect([...roundOrder(ids, r)].sort()).toEqual(ids);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
    expect(roundOrder([], 3)).toEqual([]);
  });

  it('puts no endpoint first in every round', () => {
    const firsts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((r) => roundOrder(ids, r)[0]));
    expect(firsts.size).toBeGreaterThan(1);
  });
});

describe('ratios and targets', () => {
  it('divides round by round and takes the median', () => {
    const r = roundRatios([100, 300, 200], [1_000, 1_000, 400]);
    expect(r.rounds).toEqual([0.1, 0.3, 0.5]);
    expect(r.median).toBeCloseTo(0.3);
  });

  it('has no median when a round lacks a figure', () => {
    expect(roundRatios([100, 200], [1_000]).median).toBeNaN();
    expect(roundRatios([100], [0]).median).toBeNaN();
  });

  it('passes at the limit and misses past it, or without a figure', () => {
    const atLeast = { name: 'evaluate / ceiling', op: '>=' as const, limit: 0.35, unit: 'x' };
    expect(verdict(atLeast, 0.35).pass).toBe(true);
    expect(verdict(atLeast, 0.349).pass).toBe(false);
    expect(verdict(atLeast, Number.NaN).pass).toBe(false);
    const atMost = { name: 'p99', op: '<=' as const, limit: 13, unit: ' ms' };
    expect(verdict(atMost, 13).pass).toBe(true);
    expect(verdict(atMost, 13.5).pass).toBe(false);
    expect(verdict({ name: 'errors', op: '<=', limit: 0 }, 0).pass).toBe(true);
    expect(verdict({ name: 'errors', op: '<=', limit: 0 }, 1).pass).toBe(false);
  });

  it('prints value, target and verdict', () => {
    expect(formatVerdict(verdict({ name: 'r', op: '>=', limit: 0.35, unit: 'x' }, 0.2712))).toBe('0.27x (target >= 0.35x) MISS');
    expect(formatVerdict(verdict({ name: 'p', op: '<=', limit: 13, unit: ' ms' }, 9.04), 1)).toBe('9.0 ms (target <= 13 ms) PASS');
    expect(formatVerdict(verdict({ name: 'e', op: '<=', limit: 0 }, 0))).toBe('0 (target <= 0) PASS');
    expect(formatVerdict(verdict({ name: 'm', op: '<=', limit: 150, unit: ' MiB' }, 210.6), 0)).toBe('211 MiB (target <= 150 MiB) MISS');
  });

  it('counts the answers with another status than expected', () => {
    expect(unexpectedResponses({ '200': 10, '304': 2 }, 200)).toBe(2);
    expect(unexpectedResponses({ '304': 12 }, 304)).toBe(0);
    expect(unexpectedResponses({ '200': 3, '304': 9, '500': 1 }, 304)).toBe(4);
    expect(unexpectedResponses({}, 200)).toBe(0);
  });
});

describe('memory figures', () => {
  const status = ['Name:\tnode', 'VmPeak:\t 1000000 kB', 'VmRSS:\t  153600 kB', 'RssAnon:\t  102400 kB', 'RssFile:\t   51200 kB', 'Threads:\t11'].join('\n');

  it('reads the sizes of /proc/<pid>/status in bytes', () => {
    expect(parseStatusBytes(status)).toBe(150 * MIB);
    expect(parseStatusBytes(status, 'RssAnon')).toBe(100 * MIB);
    expect(parseStatusBytes(status, 'RssFile')).toBe(50 * MIB);
    expect(parseStatusBytes(status, 'VmSwap')).toBeNaN();
    expect(parseStatusBytes('')).toBeNaN();
  });

  it('summarises samples in MiB, dropping missing ones', () => {
    expect(summarizeRss([100 * MIB, Number.NaN, 300 * MIB, 200 * MIB])).toEqual({ samples: 3, medianMiB: 200, maxMiB: 300 });
    const none = summarizeRss([]);
    expect(none.samples).toBe(0);
    expect(none.maxMiB).toBeNaN();
  });

  it('prints V8 heap spaces committed/used, the small ones summed', () => {
    const spaces = [
      { name: 'read_only_space', size: 0, used: 0 },
      { name: 'new_space', size: 128 * MIB, used: 1 * MIB },
      { name: 'old_space', size: 43 * MIB, used: 39 * MIB },
      { name: 'code_space', size: 5 * MIB, used: 4 * MIB },
      { name: 'trusted_space', size: 8 * MIB, used: 7 * MIB },
      { name: 'large_object_space', size: 3 * MIB, used: 3 * MIB },
    ];
    expect(formatHeapSpaces(spaces)).toBe('new 128/1, old 43/39, code 5/4, other 11/10 MiB (committed/used)');
  });
});

describe('picking tenants to check', () => {
  it('takes every tenant for 0 or more than there are', () => {
    expect(spreadPicks(5, 0)).toEqual([0, 1, 2, 3, 4]);
    expect(spreadPicks(5, 9)).toEqual([0, 1, 2, 3, 4]);
  });

  it('spreads a sample over all, always with the last one', () => {
    const picks = spreadPicks(100_001, 2_000);
    expect(picks).toHaveLength(2_000);
    expect(new Set(picks).size).toBe(2_000);
    expect(picks[0]).toBe(0);
    expect(picks.at(-1)).toBe(100_000);
    expect(picks.every((p) => p >= 0 && p <= 100_000)).toBe(true);
    expect(picks.filter((p) => p >= 50_000)).toHaveLength(1_000);
  });
});

describe('the ceiling server', () => {
  let child: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    child = fork(fileURLToPath(new URL('../src/ceiling-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    port = await new Promise<number>((resolve, reject) => {
      child.on('message', (msg: { type: string; port?: number; message?: string }) => {
        if (msg.type === 'ready') {
          child.send({
            type: 'listen',
            routes: [
              { path: '/flags/evaluate', status: 200, contentType: 'application/json; charset=utf-8', bytes: 2_554 },
              { path: '/ofrep/v1/evaluate/flags', status: 200, contentType: 'application/json; charset=utf-8', bytes: 14_457, notModified: true },
            ],
          });
        } else if (msg.type === 'listening') resolve(msg.port ?? 0);
        else reject(new Error(msg.message));
      });
    });
  });

  afterAll(() => {
    child.kill();
  });

  const send = (path: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('answers each route with a body of its size and the given content-type', async () => {
    const e = await send('/flags/evaluate', '{"tenantSlug":"acme-1"}');
    expect(e.status).toBe(200);
    expect(e.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Buffer.byteLength(e.body)).toBe(2_554);
    const o = await send('/ofrep/v1/evaluate/flags', '{"context":{"targetingKey":"acme-1"}}');
    expect(o.status).toBe(200);
    expect(Buffer.byteLength(o.body)).toBe(14_457);
  });

  it('answers 304 with the ETag asked for, where the route does', async () => {
    const r = await send('/ofrep/v1/evaluate/flags', '{"context":{"targetingKey":"acme-1"}}', { 'if-none-match': '"abc.3.acme-1"' });
    expect(r.status).toBe(304);
    expect(r.headers.etag).toBe('"abc.3.acme-1"');
    expect(r.body).toBe('');
    const e = await send('/flags/evaluate', '{"tenantSlug":"acme-1"}', { 'if-none-match': '"x"' });
    expect(e.status).toBe(200);
  });

  it('parses the body: not JSON is a 400, an unknown path a 404', async () => {
    expect((await send('/flags/evaluate', '{nope')).status).toBe(400);
    expect((await send('/elsewhere', '{}')).status).toBe(404);
  });
});

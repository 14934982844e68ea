import fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { ACCESS_LOG_SAMPLE_EVERY, LOG_REDACTION, AccessLog, accessLogDecision, pathOf, type AccessLogOptions } from './access-log';

const never = () => false;
const always = () => true;

describe('accessLogDecision', () => {
  const all: AccessLogOptions = { mode: 'all', slowMs: 500 };
  const sampled: AccessLogOptions = { mode: 'sampled', slowMs: 500 };
  const off: AccessLogOptions = { mode: 'off', slowMs: 500 };

  it('always logs server errors at error level, whatever ACCESS_LOG says', () => {
    for (const options of [all, sampled, off]) {
      expect(accessLogDecision(500, 3, options, never)).toEqual({ level: 'error', msg: 'request errored' });
      expect(accessLogDecision(503, 3, options, never)?.level).toBe('error');
    }
  });

  it('always logs client errors, at info as before', () => {
    for (const options of [all, sampled, off]) {
      expect(accessLogDecision(404, 3, options, never)).toEqual({ level: 'info', msg: 'request completed' });
      expect(accessLogDecision(401, 3, options, never)?.level).toBe('info');
    }
  });

  it('always logs a slow request as a warning, from LOG_SLOW_MS on; 0 turns that off', () => {
    expect(accessLogDecision(200, 499, off, never)).toBeUndefined();
    expect(accessLogDecision(200, 500, off, never)).toEqual({ level: 'warn', msg: 'slow request' });
    expect(accessLogDecision(404, 900, off, never)?.level).toBe('warn');
    expect(accessLogDecision(500, 900, off, never)?.level).toBe('error');
    expect(accessLogDecision(200, 60_000, { mode: 'off', slowMs: 0 }, never)).toBeUndefined();
  });

  it('logs successful requests as ACCESS_LOG says', () => {
    expect(accessLogDecision(200, 3, all, never)).toEqual({ level: 'info', msg: 'request completed' });
    expect(accessLogDecision(304, 3, all, never)?.level).toBe('info');
    expect(accessLogDecision(200, 3, off, always)).toBeUndefined();
    expect(accessLogDecision(200, 3, sampled, never)).toBeUndefined();
    expect(accessLogDecision(200, 3, sampled, always)).toEqual({ level: 'info', msg: 'request completed', sampleRate: ACCESS_LOG_SAMPLE_EVERY });
  });

  it('consults the sampler for successful requests only, so errors do not shift the sample', () => {
    let asked = 0;
    const count = () => {
      asked++;
      return false;
    };
    accessLogDecision(500, 3, sampled, count);
    accessLogDecision(404, 3, sampled, count);
    accessLogDecision(200, 900, sampled, count);
    expect(asked).toBe(0);
    accessLogDecision(200, 3, sampled, count);
    expect(asked).toBe(1);
  });
});

describe('pathOf', () => {
  it('drops the query string', () => {
    expect(pathOf('/ofrep/v1/events?token=secret')).toBe('/ofrep/v1/events');
    expect(pathOf('/flags?x=1&y=2')).toBe('/flags');
    expect(pathOf('/flags')).toBe('/flags');
    expect(pathOf('/?')).toBe('/');
  });
});

interface Line {
  level: number;
  msg: string;
  req: { id: string; method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number; headers: Record<string, string> };
  responseTime: number;
  sampleRate?: number;
}

/** A Fastify instance with the hook, logging through pino (with the API's redaction) into `lines`. */
async function server(options: AccessLogOptions): Promise<{ app: FastifyInstance; lines: Line[] }> {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      callback();
    },
  });
  const logger = pino({ level: 'info', redact: LOG_REDACTION }, sink);
  const app = fastify();
  app.addHook('onResponse', new AccessLog(logger, options).hook());
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ok', async (_req, reply) => {
    reply.header('set-cookie', 'session=abc');
    return { ok: true };
  });
  app.get('/fail', async (_req, reply) => reply.code(500).send({ statusCode: 500 }));
  app.get('/ofrep/v1/events', async () => ({ events: [] }));
  await app.ready();
  return { app, lines };
}

describe('AccessLog.hook', () => {
  it('writes pino-http shaped lines: the path without query, credentials redacted', async () => {
    const { app, lines } = await server({ mode: 'all', slowMs: 500 });
    await app.inject({ url: '/ofrep/v1/events?token=credential', headers: { authorization: 'Bearer secret', cookie: 'sid=secret' } });
    await app.inject({ url: '/ok?q=1' });
    await app.close();
    expect(lines).toHaveLength(2);
    const [events, ok] = lines;
    expect(events).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/ofrep/v1/events' }, res: { statusCode: 200 } });
    expect(events!.req.id).toEqual(expect.any(String));
    expect(events!.req.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(typeof events!.responseTime).toBe('number');
    expect(ok!.req.url).toBe('/ok');
    expect(ok!.res.headers['set-cookie']).toBe('[redacted]');
    expect(JSON.stringify(lines)).not.toMatch(/credential|secret|q=1|abc/);
  });

  it('never logs /health', async () => {
    const { app, lines } = await server({ mode: 'all', slowMs: 500 });
    await app.inject({ url: '/health' });
    await app.close();
    expect(lines).toEqual([]);
  });

  it('with ACCESS_LOG=sampled logs 1 in 100 successful requests, and every error', async () => {
    const { app, lines } = await server({ mode: 'sampled', slowMs: 500 });
    for (let i = 0; i < 250; i++) await app.inject({ url: '/ok' });
    await app.inject({ url: '/fail' });
    await app.inject({ url: '/nowhere' });
    await app.close();
    expect(lines.filter((l) => l.res.statusCode === 200)).toHaveLength(2);
    expect(lines.filter((l) => l.res.statusCode === 200).every((l) => l.sampleRate === 100)).toBe(true);
    expect(lines.find((l) => l.res.statusCode === 500)).toMatchObject({ level: 50, msg: 'request errored' });
    expect(lines.find((l) => l.res.statusCode === 404)).toMatchObject({ level: 30, msg: 'request completed' });
  });

  it('with ACCESS_LOG=off logs errors only', async () => {
    const { app, lines } = await server({ mode: 'off', slowMs: 500 });
    for (let i = 0; i < 120; i++) await app.inject({ url: '/ok' });
    await app.inject({ url: '/fail' });
    await app.close();
    expect(lines.map((l) => l.res.statusCode)).toEqual([500]);
  });
});

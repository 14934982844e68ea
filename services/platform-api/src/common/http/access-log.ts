import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessLogMode } from '../../config/app-config';

/** Tokens and session cookies must never reach the logs (pino's `redact`). */
export const LOG_REDACTION = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  censor: '[redacted]',
};

/** With ACCESS_LOG=sampled, one successful request in this many is logged. */
export const ACCESS_LOG_SAMPLE_EVERY = 100;

/** Routes whose requests are never logged: probes would flood the log. */
const UNLOGGED_ROUTES = new Set(['/health', '/health/ready', '/health/live']);

export interface AccessLogOptions {
  mode: AccessLogMode;
  /** At least this many milliseconds is a slow request; 0 turns it off. */
  slowMs: number;
}

export type AccessLogLevel = 'error' | 'warn' | 'info';

export interface AccessLogDecision {
  level: AccessLogLevel;
  msg: 'request errored' | 'slow request' | 'request completed';
  /** Set on a sampled line: it stands for this many requests. */
  sampleRate?: number;
}

/**
 * The pino methods the access log writes through. Give it a logger whose `req` and `res`
 * serializers pass plain objects through (pino-http's expect Node's request and response).
 */
export type AccessLogger = Record<AccessLogLevel, (obj: object, msg: string) => void>;

/**
 * Whether and how one finished request is logged: server errors, slow requests and client
 * errors always are; successful requests as ACCESS_LOG says. `sample` is consulted for a
 * successful request only and says whether this one is the sampled one.
 */
export function accessLogDecision(statusCode: number, ms: number, options: AccessLogOptions, sample: () => boolean): AccessLogDecision | undefined {
  if (statusCode >= 500) return { level: 'error', msg: 'request errored' };
  if (options.slowMs > 0 && ms >= options.slowMs) return { level: 'warn', msg: 'slow request' };
  if (statusCode >= 400) return { level: 'info', msg: 'request completed' };
  if (options.mode === 'all') return { level: 'info', msg: 'request completed' };
  if (options.mode === 'sampled' && sample()) return { level: 'info', msg: 'request completed', sampleRate: ACCESS_LOG_SAMPLE_EVERY };
  return undefined;
}

/** The path of a request target, without its query: query strings may carry credentials. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** What a line says of a finished request: pino-http's `req` and `res`, without the query string. */
export interface FinishedRequest {
  id: string;
  method: string;
  /** As received; the line carries its path only. */
  url: string;
  headers: object;
  remoteAddress: string | undefined;
  statusCode: number;
  responseHeaders: object;
  ms: number;
}

/**
 * The access log: one line per logged request, in pino-http's shape (`req`, `res`,
 * `responseTime`), with one sample for the whole process. Fastify's requests reach it through
 * `hook()`, the serving lane's (which Fastify never sees) through `finished()`. Nothing is
 * allocated for a request that is not logged, so it costs next to nothing at high throughput
 * unless it writes.
 */
export class AccessLog {
  private successes = 0;
  private readonly sample = () => {
    this.successes = (this.successes + 1) % ACCESS_LOG_SAMPLE_EVERY;
    return this.successes === 0;
  };

  constructor(
    private readonly logger: AccessLogger,
    private readonly options: AccessLogOptions,
  ) {}

  /** Whether a finished request with this status and duration is written (consumes the sample when it asks it). */
  finished(statusCode: number, ms: number, describe: () => FinishedRequest): void {
    const decision = accessLogDecision(statusCode, ms, this.options, this.sample);
    if (!decision) return;
    const r = describe();
    const line: Record<string, unknown> = {
      req: { id: r.id, method: r.method, url: pathOf(r.url), headers: r.headers, remoteAddress: r.remoteAddress },
      res: { statusCode: r.statusCode, headers: r.responseHeaders },
      responseTime: Math.round(r.ms),
    };
    if (decision.sampleRate !== undefined) line.sampleRate = decision.sampleRate;
    this.logger[decision.level](line, decision.msg);
  }

  /** A Fastify `onResponse` hook. */
  hook() {
    return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      if (!UNLOGGED_ROUTES.has(request.routeOptions.url ?? '')) {
        const ms = reply.elapsedTime;
        this.finished(reply.statusCode, ms, () => ({
          id: request.id,
          method: request.method,
          url: request.url,
          headers: request.headers,
          remoteAddress: request.socket.remoteAddress,
          statusCode: reply.statusCode,
          responseHeaders: reply.getHeaders(),
          ms,
        }));
      }
      done();
    };
  }
}

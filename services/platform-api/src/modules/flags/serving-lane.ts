import type { IncomingHttpHeaders, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import type { AccessLog } from '../../common/http/access-log';
import { handOn, type HandedOn } from '../../common/http/handed-on';
import { JSON_MAX_DEPTH, nestsDeeperThan } from '../../common/http/json-body';
import { RateLimits } from '../../common/http/rate-limits';
import { REQUEST_ID_HEADER } from '@dezky/contracts';
import { requestIdOf } from '../../common/http/request-id';
import type { HttpMetrics } from '../../common/metrics/http-metrics';
import { API_HEADERS } from '../../common/http/security-headers';
import type { Actor } from '../auth/actor';
import { bearerToken } from '../auth/bearer';
import { TokenVerifier } from '../auth/token-verifier.service';
import { ActorService } from '../users/actor.service';
import { EvaluationAnswers, isPlainEvaluateBody, type AnswerReply } from './evaluation-answers';

/** Answers one lane request into `reply`, or leaves it unsent for Fastify to answer. */
type LaneRoute = (actor: Actor, body: object, headers: IncomingHttpHeaders, reply: LaneReply) => Promise<void>;

/** A body the lane reads itself; anything larger is Fastify's (an evaluation's is about 40 bytes). */
const LANE_BODY_LIMIT = 1024;

export interface FrontDoorOptions {
  accessLog: AccessLog;
  /** Counts what the lane answers by route template, as Fastify's hook counts the rest; undefined when metrics are off. */
  httpMetrics?: HttpMetrics;
  /** The proxies whose X-Forwarded-For is believed, as Fastify's `trustProxy` is given them. */
  trustedProxies: string[];
  /** When CORS is on, a request with an Origin goes to Fastify, whose CORS hook answers it. */
  cors: boolean;
}

/**
 * The evaluation routes' common case, answered in front of Fastify, from the HTTP server's own
 * request event: no routing, hooks, body parser or Nest pipeline, for a caller whose token and
 * user memory already vouches for (TokenVerifier.fromMemory, ActorService.fromMemory), with a
 * small JSON body in the form the route expects. The answer is written by EvaluationAnswers,
 * exactly what the Nest route writes, with the headers every API answer carries, and is charged
 * to the same budgets and written to the same access log.
 *
 * Anything else goes to Fastify unchanged, which then decides as always: another route or
 * method, a CORS request, a token not in memory, a user to create or update, a body to validate,
 * a budget spent (the address hook or the guard answers its 429), and every error (the
 * exception filter answers it). A request handed on after its body was read gets the body
 * replayed and carries what was charged already, so nothing is charged twice (handed-on.ts).
 */
@Injectable()
export class ServingLane {
  private readonly routes = new Map<string, LaneRoute>([
    [
      '/flags/evaluate',
      async (actor, body, _headers, reply) => {
        if (!isPlainEvaluateBody(body)) return;
        reply.send(await this.answers.evaluate(actor, body.tenantSlug, reply));
      },
    ],
    ['/ofrep/v1/evaluate/flags', (actor, body, headers, reply) => this.answers.ofrepBulk(actor, body, headers['if-none-match'], reply)],
  ]);

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly actors: ActorService,
    private readonly limits: RateLimits,
    private readonly answers: EvaluationAnswers,
  ) {}

  /** Puts the lane in front of the server's one request listener (Fastify's). */
  install(server: Server, options: FrontDoorOptions): void {
    const listeners = server.listeners('request');
    if (listeners.length !== 1) throw new Error(`the serving lane expects one request listener, found ${listeners.length}`);
    const fastify = listeners[0] as RequestListener;
    server.removeListener('request', fastify);
    const trust = proxyAddr.compile(options.trustedProxies);
    const front: RequestListener = (req, res) => {
      if (!this.take(req, res, fastify, trust, options)) fastify(req, res);
    };
    server.on('request', front);
  }

  /** True when the lane took the request (it answers it or hands it on later). */
  private take(req: IncomingMessage, res: ServerResponse, fastify: RequestListener, trust: (addr: string, i: number) => boolean, options: FrontDoorOptions): boolean {
    if (req.method !== 'POST') return false;
    const route = this.routes.get(req.url ?? '');
    if (!route) return false;
    const h = req.headers;
    if (options.cors && h.origin !== undefined) return false;
    const type = h['content-type'];
    if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return false;
    if (h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined) return false;
    const length = Number(h['content-length']);
    if (!(length > 0 && length <= LANE_BODY_LIMIT)) return false;
    const token = bearerToken(h.authorization);
    const verified = token === undefined ? undefined : this.verifier.fromMemory(token);
    const actor = verified && this.actors.fromMemory(verified);
    if (!actor) return false;

    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const handed: HandedOn = { body, addressCharged: false, subjectCharged: false };
      const handOver = () => {
        handOn(req, handed);
        fastify(req, res);
      };
      this.answer(route, actor, req, res, handed, trust).then((answered) => (answered ? this.finished(req, answered, started, options) : handOver()), handOver);
    });
    // A client that goes away before its body is in gets no answer: there is nobody to read it.
    req.on('error', () => undefined);
    return true;
  }

  /** Writes the answer and returns it, or returns undefined for Fastify to answer the request. */
  private async answer(route: LaneRoute, actor: Actor, req: IncomingMessage, res: ServerResponse, handed: HandedOn, trust: (addr: string, i: number) => boolean): Promise<LaneReply | undefined> {
    const addresses = proxyAddr.all(req, trust);
    // Over budget: the address hook charges it again, still over, and answers the 429.
    if (!(await this.limits.chargeAddress(addresses[addresses.length - 1] ?? ''))) return undefined;
    handed.addressCharged = true;
    const body = plainJsonObject(handed.body);
    if (body === undefined) return undefined;
    // Over budget: the guard charges it again, still over, and answers the 429.
    if (!(await this.limits.chargeEvaluation(actor.issuer, actor.subject))) return undefined;
    handed.subjectCharged = true;
    const reply = new LaneReply();
    // Nothing is written before the answer cannot fail any more; Fastify answers an error.
    await route(actor, body, req.headers, reply);
    if (!reply.sent) return undefined;
    reply.id = requestIdOf(req);
    reply.headers[REQUEST_ID_HEADER] = reply.id;
    res.writeHead(reply.statusCode, reply.headers);
    res.end(reply.payload);
    return reply;
  }

  private finished(req: IncomingMessage, reply: LaneReply, started: number, { accessLog, httpMetrics }: FrontDoorOptions): void {
    const ms = performance.now() - started;
    // The lane takes only requests whose URL is one of its routes' paths: the URL is the template.
    httpMetrics?.observe('POST', req.url ?? '', reply.statusCode, ms);
    accessLog.finished(reply.statusCode, ms, () => ({
      id: reply.id,
      method: req.method ?? 'POST',
      url: req.url ?? '',
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
      statusCode: reply.statusCode,
      responseHeaders: reply.headers,
      ms,
    }));
  }
}

/**
 * The body as an object when it is one in the plainest JSON form, as Fastify's parser would give
 * it; undefined for anything Fastify should judge (invalid JSON, leading white space, another
 * top-level value, nesting past JSON_MAX_DEPTH, keys its parser refuses).
 */
function plainJsonObject(bytes: Buffer): object | undefined {
  const text = bytes.toString('utf8');
  if (text.charCodeAt(0) !== 0x7b || text.includes('__proto__') || text.includes('constructor') || nestsDeeperThan(text, JSON_MAX_DEPTH)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The reply EvaluationAnswers writes to on the lane: Fastify's rules for headers, status and payload. */
class LaneReply implements AnswerReply {
  statusCode = 200;
  readonly headers: Record<string, string> = { ...API_HEADERS };
  payload: string | undefined;
  sent = false;
  /** The request's id (requestIdOf), set when the answer is written. */
  id = '';

  code(statusCode: number): this {
    this.statusCode = statusCode;
    return this;
  }

  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  send(payload?: string | object): this {
    this.sent = true;
    if (payload === undefined) {
      // As Fastify: no Content-Length on a 304 (RFC 9110), 0 on an empty answer otherwise.
      if (this.statusCode !== 304 && this.statusCode !== 204) this.headers['content-length'] = '0';
      return this;
    }
    if (typeof payload === 'string') {
      this.headers['content-type'] ??= 'text/plain; charset=utf-8';
      this.payload = payload;
    } else {
      this.headers['content-type'] ??= 'application/json; charset=utf-8';
      this.payload = JSON.stringify(payload);
    }
    this.headers['content-length'] = String(Buffer.byteLength(this.payload));
    return this;
  }
}

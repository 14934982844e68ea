import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from '@dezky/contracts';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';


let issued = 0;

/**
 * The id of a request: the caller's X-Request-Id when it is a plain token (the apps send the id
 * of the browser request they are answering, so one click can be followed through both logs),
 * else one of this process's own (`req-1`, `req-2`, ... as Fastify numbers them). Fastify's
 * `genReqId` and the serving lane both take it from here, so the two never issue the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  if (typeof given === 'string' && REQUEST_ID_PATTERN.test(given)) return given;
  issued = (issued + 1) % Number.MAX_SAFE_INTEGER;
  return `req-${issued.toString(36)}`;
}

/** An `onRequest` hook that echoes the request's id in the answer (errors and 429s included). */
export function requestIdHeaderHook() {
  return function requestIdHeader(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  };
}

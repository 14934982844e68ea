import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's headers on every response, errors and 404s included, from one `onRequest` hook.
 * The middleware is built once: @fastify/helmet builds it again for every request (parsing
 * the CSP each time, in two hooks), which costs about as much again as the headers themselves.
 * Headers set on the Node response are merged by Fastify into whatever it sends.
 */
export function securityHeadersHook() {
  const apply = helmet({
    // Swagger UI at /docs needs inline styles; scripts stay same-origin only.
    contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
  });
  return function securityHeaders(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    // helmet reports nothing through `next` since 8.1 (it throws); Fastify's `done` takes that.
    apply(request.raw, reply.raw, done as (error?: unknown) => void);
  };
}

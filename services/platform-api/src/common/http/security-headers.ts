import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/**
 * What every API answer carries (JSON, errors and 404s included): the headers OWASP's REST
 * Security Cheat Sheet lists for APIs. Nothing here is rendered, so helmet's page-oriented set
 * (13 headers on every answer, a large share of an evaluation's cost) is kept for the pages.
 */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/** The interactive documentation is an HTML page (Swagger UI): helmet's full set. */
const isPage = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');

/**
 * Security headers from one `onRequest` hook. helmet's middleware is built once: @fastify/helmet
 * builds it again for every request (parsing the CSP each time, in two hooks).
 */
export function securityHeadersHook() {
  const pageHeaders = helmet({
    // Swagger UI at /docs needs inline styles; scripts stay same-origin only.
    contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
  });
  return function securityHeaders(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (isPage(request.url)) {
      // helmet reports nothing through `next` since 8.1 (it throws); Fastify's `done` takes that.
      pageHeaders(request.raw, reply.raw, done as (error?: unknown) => void);
      return;
    }
    reply.headers(API_HEADERS);
    done();
  };
}

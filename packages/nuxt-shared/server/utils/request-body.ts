// What the request guards (server/middleware) need to know about a request's method and body.
import type { H3Event } from 'h3';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET, HEAD and OPTIONS change nothing; every other method may. */
export function isSafeMethod(event: H3Event): boolean {
  return SAFE_METHODS.has(event.method);
}

/** Whether the request carries a body: a declared length above zero, or a chunked one. */
export function hasRequestBody(event: H3Event): boolean {
  const length = getRequestHeader(event, 'content-length');
  return (length !== undefined && Number(length) > 0) || getRequestHeader(event, 'transfer-encoding') !== undefined;
}

/** The largest request body accepted, in bytes (NUXT_BODY_LIMIT). */
export function requestBodyLimit(event: H3Event): number {
  return Number(useRuntimeConfig(event).bodyLimit);
}

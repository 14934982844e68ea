// Cross-site request forgery: every request that may change something (any method but GET, HEAD
// and OPTIONS) must come from the app's own pages. SameSite=Lax cookies are not enough: they are
// sent by every page of the same site, i.e. other ports of the same host and sibling subdomains.
// - A browser names the page that sent the request: a foreign `Origin` (or "null") or a
//   `Sec-Fetch-Site` other than "same-origin" is refused with 403.
// - Bodies are JSON only (415 otherwise): an HTML form cannot send JSON, and a page of another
//   origin cannot send it without a CORS preflight that the app never grants.
// Requests without those headers do not come from a browser page, and cannot carry its cookies
// unless whoever sends them holds the cookie already.
import type { H3Event } from 'h3';
import { parse as parseContentType } from 'content-type';

function forbidden(message: string) {
  return createError({ statusCode: 403, statusMessage: 'Forbidden', message });
}

function unsupported(message: string) {
  return createError({ statusCode: 415, statusMessage: 'Unsupported Media Type', message });
}

/**
 * The origins of this app: the one its redirect URL names (NUXT_OAUTH_OIDC_REDIRECT_URL), and the
 * one the request was sent to (`X-Forwarded-Host` / `-Proto` as a proxy sets them: a page of another
 * origin cannot set those headers without a CORS preflight either).
 */
function ownOrigins(event: H3Event): Set<string> {
  return new Set([appOrigin(event), getRequestURL(event, { xForwardedHost: true, xForwardedProto: true }).origin]);
}

function assertJsonBody(event: H3Event): void {
  const header = getRequestHeader(event, 'content-type');
  if (header === undefined) {
    if (hasRequestBody(event)) throw unsupported('The request body must be JSON (Content-Type: application/json).');
    return;
  }
  let type: string;
  let charset: string | undefined;
  try {
    const parsed = parseContentType(header);
    type = parsed.type;
    charset = parsed.parameters.charset;
  } catch {
    throw unsupported('The request body must be JSON (Content-Type: application/json).');
  }
  if (type !== 'application/json') throw unsupported('The request body must be JSON (Content-Type: application/json).');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw unsupported('JSON request bodies must be UTF-8.');
  const encoding = getRequestHeader(event, 'content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') throw unsupported('Compressed request bodies are not accepted.');
}

export default defineEventHandler((event) => {
  if (isSafeMethod(event)) return;
  const origin = getRequestHeader(event, 'origin');
  if (origin !== undefined && !ownOrigins(event).has(origin)) {
    throw forbidden('This request must come from the app\'s own pages (its Origin is another site).');
  }
  const site = getRequestHeader(event, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    throw forbidden('This request must come from the app\'s own pages (Sec-Fetch-Site is not same-origin).');
  }
  assertJsonBody(event);
});

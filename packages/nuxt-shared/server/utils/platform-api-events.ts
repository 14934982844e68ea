// Server-sent events of the platform API relayed to the browser. The API names a stream in an
// answer (OFREP's `eventStreams[].endpoint.requestUri`); its URL carries a signed grant, so it is
// a credential: it is opened here, server-side, never logged, and never reaches the browser,
// which only sees the app's own route streaming the same events.
import { once } from 'node:events';
import type { H3Event } from 'h3';
import { REQUEST_ID_HEADER } from '@dezky/contracts';
import { logApiCallFailure, requestId } from './request-id';

export interface RelayEventStreamOptions {
  /**
   * End the relay after this long (default 10 minutes). The browser's EventSource reconnects by
   * itself, and its new request checks the session and the tenant again.
   */
  maxDurationMs?: number;
}

/** Upstream headers must arrive within this time. */
const CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_DURATION_MS = 10 * 60_000;
/** Upstream statuses answered as they are (the API's message kept); anything else is a 502. */
const RELAYED_STATUSES = new Set([403, 404]);

function reason(error: unknown): string {
  // undici's errors name the failure (ECONNREFUSED, terminated...), never the URL.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${String(detail)})` : message;
}

/** Resolves when `res` can take more, or has closed. */
async function drainedOrClosed(res: H3Event['node']['res']): Promise<void> {
  const done = new AbortController();
  const wait = (name: string) => once(res, name, { signal: done.signal }).catch(() => undefined);
  await Promise.race([wait('drain'), wait('close')]);
  done.abort();
}

async function upstreamMessage(response: Response, fallback: string): Promise<string> {
  try {
    const data = (await response.json()) as { message?: unknown };
    if (typeof data.message === 'string' && data.message) return data.message;
  } catch {
    // not JSON
  }
  return fallback;
}

/**
 * Opens the API's event stream at `requestUri` (a path on the API's origin, as the API answered
 * it) and relays it to the browser as `text/event-stream`, byte for byte and unbuffered, until
 * either side goes: the browser leaving aborts the upstream request; the upstream ending or
 * failing ends the response (the browser's EventSource then reconnects by itself).
 *
 * Before the stream starts it throws like `platformApi`: 403 and 404 keep their status and the
 * API's message, anything else (the API unreachable, a refused grant, not an event stream) is a
 * 502. Resolves when the relay is over.
 */
export async function relayPlatformApiEvents(event: H3Event, requestUri: string, options: RelayEventStreamOptions = {}): Promise<void> {
  const base = new URL(`${platformApiBaseUrl(event)}/`);
  let url: URL | undefined;
  try {
    url = new URL(requestUri, base);
  } catch {
    url = undefined;
  }
  // Only the API itself is ever asked: the route is no open relay to wherever an answer points.
  if (!url || url.origin !== base.origin) {
    console.error('[platform-api] the event stream the API named is not on its origin');
    throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API failed to answer.' });
  }

  const res = event.node.res;
  const upstream = new AbortController();
  const stop = () => upstream.abort();
  // The browser went away (or the response is over): stop reading the API's stream.
  res.once('close', stop);
  if (res.closed || res.destroyed) {
    res.off('close', stop);
    res.end();
    return;
  }

  const connectTimer = setTimeout(stop, CONNECT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'text/event-stream', [REQUEST_ID_HEADER]: requestId(event) },
      signal: upstream.signal,
      redirect: 'error',
      cache: 'no-store',
    });
  } catch (error) {
    res.off('close', stop);
    // The browser left while the API was being asked: nobody to answer.
    if (res.closed) {
      res.end();
      return;
    }
    logApiCallFailure(event, { method: 'GET', path: url.pathname, error: reason(error) }, 'platform API event stream failed');
    throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API is unreachable.' });
  } finally {
    clearTimeout(connectTimer);
  }

  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !contentType.startsWith('text/event-stream')) {
    res.off('close', stop);
    const status = response.status;
    if (RELAYED_STATUSES.has(status)) {
      const message = await upstreamMessage(response, response.statusText || `HTTP ${status}`);
      throw createError({ statusCode: status, statusMessage: response.statusText || undefined, message });
    }
    await response.body?.cancel().catch(() => undefined);
    // A 401 here is about the grant, not the user's session: the session stays.
    logApiCallFailure(event, { method: 'GET', path: url.pathname, status, error: response.ok ? `not an event stream: ${contentType}` : undefined }, 'platform API event stream failed');
    throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API failed to answer.' });
  }

  // Headers now (with any Set-Cookie of a refreshed session), the events as they come.
  res.statusCode = 200;
  res.removeHeader('etag');
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  // Proxies (nginx, Traefik) must pass events through as they come.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();

  const maxTimer = setTimeout(stop, options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        // A slow browser: wait until it has taken what was written, or has gone.
        await drainedOrClosed(res);
        if (res.closed) break;
      }
    }
  } catch (error) {
    if (!upstream.signal.aborted) console.warn(`[platform-api] GET ${url.pathname} (event stream) broke off: ${reason(error)}`);
  } finally {
    clearTimeout(maxTimer);
    res.off('close', stop);
    // Closes the upstream connection whichever side ended first.
    upstream.abort();
    if (!res.writableEnded) res.end();
  }
}

// The id of the browser request an app server is answering, sent to the platform API as
// X-Request-Id on every call made for it: the API uses it as its own request id (its access and
// error log lines, its X-Request-Id answer header), so one click can be followed in both logs.
import { randomUUID } from 'node:crypto';
import { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from '@dezky/contracts';
import type { H3Event } from 'h3';


/**
 * This request's id: the incoming X-Request-Id when a proxy in front gave one the API accepts,
 * else a fresh UUID; kept on `event.context.requestId`, so every API call of one app request
 * carries the same id.
 */
export function requestId(event: H3Event): string {
  const known: unknown = event.context.requestId;
  if (typeof known === 'string') return known;
  const given = event.node?.req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  event.context.requestId = id;
  return id;
}

export interface ApiCallFailure {
  method: string;
  /** The API path called, without its query (a stream's query is a credential). */
  path: string;
  /** The API's status, when it answered. */
  status?: number;
  /** Why there was no usable answer. */
  error?: string;
}

/** One structured line for a failed API call, with the request id the API logged it under. */
export function logApiCallFailure(event: H3Event, failure: ApiCallFailure, message = 'platform API call failed'): void {
  const line: Record<string, unknown> = { level: 'error', time: new Date().toISOString(), msg: message, requestId: requestId(event), method: failure.method, path: failure.path.split('?')[0] };
  if (failure.status !== undefined) line.status = failure.status;
  if (failure.error !== undefined) line.error = failure.error;
  console.error(JSON.stringify(line));
}

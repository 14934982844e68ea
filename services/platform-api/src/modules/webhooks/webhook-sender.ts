import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedAddress, CheckedTarget } from './webhook-target';

/** How one attempt ended: delivered (2xx), or the reason it was not, short enough for the log. */
export type AttemptResult = { delivered: true; status: number } | { delivered: false; error: string };

/** Node's network error codes as the delivery log shows them. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
};

/** A lookup that answers the checked addresses only, so the connection goes where the check said. */
function pinnedLookup(addresses: CheckedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/**
 * POSTs a delivery to its endpoint once: at most `timeoutMs` from connecting to the answer's
 * status line, redirects never followed (a 3xx is a failed attempt like any other non-2xx), the
 * answer's body read and dropped.
 */
export function sendOnce(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptResult> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Dezky-Webhooks/1.0' },
    lookup: pinnedLookup(target.addresses),
    signal: AbortSignal.timeout(timeoutMs),
    agent: false,
  };
  return new Promise((resolve) => {
    const req = send(target.url, options, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      res.on('error', () => undefined);
      resolve(status >= 200 && status < 300 ? { delivered: true, status } : { delivered: false, error: `HTTP ${status}` });
    });
    req.on('error', (error: Error & { code?: string }) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError') resolve({ delivered: false, error: `timeout after ${timeoutMs} ms` });
      else resolve({ delivered: false, error: (error.code && NETWORK_REASONS[error.code]) ?? (error.code ? `network error (${error.code})` : 'network error') });
    });
    req.end(body);
  });
}

// What a person reads when a call to the app's own server (`$api`, `useApi`) failed: always a
// sentence, never the fetch library's text ("[PATCH] "/api/…": <no response> Failed to fetch").
// Used by both apps, in toasts, alerts and form fields.

/** The sentence for a request that never got an answer (offline, server down, connection cut). */
export const UNREACHABLE_MESSAGE = 'The server could not be reached. Check your connection and try again.';

interface FailedCall {
  name?: string;
  message?: unknown;
  data?: { message?: unknown };
  statusCode?: number;
  status?: number;
  response?: { status?: number };
  cause?: unknown;
}

/**
 * The fetch library's error behind `error`: itself for `$api`, the cause of the NuxtError that
 * `useApi` (useFetch) wraps around an answered request.
 */
function fetchError(error: unknown): FailedCall | undefined {
  let e = error as FailedCall | null | undefined;
  for (let depth = 0; e && depth < 3; depth++) {
    if (e.name === 'FetchError') return e;
    e = e.cause as FailedCall | null | undefined;
  }
  return undefined;
}

/**
 * True when the request got no answer at all (offline, server down, connection cut): a FetchError
 * without a response, or the NuxtError useFetch makes of one, which keeps only its message
 * ("[GET] "/api/…": <no response> Failed to fetch") and gives it status 500.
 */
export function isUnreachable(error: unknown): boolean {
  const e = fetchError(error);
  if (e) return !e.response && e.statusCode === undefined && e.status === undefined;
  const message = (error as FailedCall | null | undefined)?.message;
  return typeof message === 'string' && message.includes('<no response>');
}

/** The HTTP status of a failed call, or undefined when there was no answer. */
export function apiErrorStatus(error: unknown): number | undefined {
  if (isUnreachable(error)) return undefined;
  const e = fetchError(error) ?? (error as FailedCall | null | undefined);
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

/** True when the same request may well succeed if sent again: no answer, a timeout, too many requests or a server failure. */
export function isRetryable(error: unknown): boolean {
  if (isUnreachable(error)) return true;
  const status = apiErrorStatus(error);
  return status === 408 || status === 429 || (status !== undefined && status >= 500 && status !== 501);
}

/**
 * The sentence to show for a failed call: the server's own message (the API's, relayed by the
 * server routes), the unreachable sentence when there was no answer, else `fallback`.
 */
export function apiErrorMessage(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  const message = (error as FailedCall | null | undefined)?.data?.message;
  if (typeof message === 'string' && message.trim()) return message;
  if (isUnreachable(error)) return UNREACHABLE_MESSAGE;
  return fallback;
}

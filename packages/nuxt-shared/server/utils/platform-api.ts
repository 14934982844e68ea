// The one client of the platform API (services/platform-api) for the apps' server routes. The
// browser never talks to the API and never sees the access token: each app exposes one server
// route per upstream endpoint (server/api/**), and each route calls `platformApi`.
import type { H3Event } from 'h3';
import type { SecureSessionData, UserSession } from '#auth-utils';
import { REQUEST_ID_HEADER } from '@dezky/contracts';
import { logApiCallFailure, requestId } from './request-id';

export type PlatformApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PlatformApiOptions {
  method?: PlatformApiMethod;
  body?: unknown;
  /** Extra request headers. `If-Match` defaults to the incoming request's. */
  headers?: Record<string, string | undefined>;
  query?: Record<string, string | number | boolean | string[] | undefined | null>;
}

/** Refresh the access token when it expires within this margin. */
export const ACCESS_TOKEN_REFRESH_MARGIN_MS = 60_000;
const UPSTREAM_TIMEOUT_MS = 15_000;
/** Upstream statuses relayed as they are, with the API's message. */
const RELAYED_STATUSES = new Set([400, 403, 404, 405, 409, 412, 413, 415, 422, 429]);

/**
 * Base URL of the Dezky platform API for server-side calls (server-only runtime config,
 * overridable with NUXT_PLATFORM_API_URL).
 */
export function platformApiBaseUrl(event: H3Event): string {
  return useRuntimeConfig(event).platformApiUrl.replace(/\/+$/, '');
}

async function endSession(event: H3Event, message: string): Promise<never> {
  await clearUserSession(event);
  throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message });
}

/**
 * The session's access token, refreshed first (and the session cookie updated) when it expires
 * within a minute. Ends the session (401) when it cannot be refreshed.
 */
export async function sessionAccessToken(event: H3Event, session: UserSession): Promise<string> {
  const secure = session.secure as SecureSessionData | undefined;
  if (!secure?.accessToken) return endSession(event, 'Your session has ended. Sign in again.');
  if (secure.expiresAt - Date.now() > ACCESS_TOKEN_REFRESH_MARGIN_MS) return secure.accessToken;

  try {
    const fresh = await refreshSecureSession(event, secure);
    await setUserSession(event, { secure: fresh });
    return fresh.accessToken;
  } catch (error) {
    if (error instanceof OidcRefreshRejectedError) {
      return endSession(event, 'Your session has ended. Sign in again.');
    }
    console.warn(`[platform-api] access token refresh failed: ${error instanceof Error ? error.message : String(error)}`);
    // The identity provider is unreachable: keep going while the current token is still valid.
    if (secure.expiresAt - Date.now() > 5_000) return secure.accessToken;
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'The sign-in service is unavailable. Try again shortly.' });
  }
}

function upstreamMessage(data: unknown, fallback: string): string {
  if (data && typeof data === 'object' && 'message' in data) {
    const message = (data as { message?: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string' && message) return message;
  }
  return fallback;
}

/**
 * Calls the platform API as the signed-in user: requires the session (401 without one), adds
 * `Authorization: Bearer <access token>`, passes `If-Match` up and `ETag` down, and maps errors:
 * 401 ends the session and answers 401 (the app then sends the browser to /login); 400, 403,
 * 404, 409, 412 (and the other client errors) keep their status and the API's message; anything
 * else answers 502.
 */
export async function platformApi<T>(event: H3Event, path: string, options: PlatformApiOptions = {}): Promise<T> {
  const session = await requireUserSession(event);
  const accessToken = await sessionAccessToken(event, session);

  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const ifMatch = headers['if-match'] ?? getRequestHeader(event, 'if-match');
  if (ifMatch) headers['if-match'] = ifMatch;
  headers.authorization = `Bearer ${accessToken}`;
  headers[REQUEST_ID_HEADER] = requestId(event);

  const method = options.method ?? 'GET';
  const query = Object.fromEntries(Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined && v !== null));
  let response;
  try {
    response = await $fetch.raw<unknown>(path, {
      baseURL: platformApiBaseUrl(event),
      method,
      headers,
      query,
      ...(options.body !== undefined ? { body: options.body as Record<string, unknown> } : {}),
      ignoreResponseError: true,
      retry: 0,
      timeout: UPSTREAM_TIMEOUT_MS,
    });
  } catch (error) {
    logApiCallFailure(event, { method, path, error: error instanceof Error ? error.message : String(error) });
    throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API is unreachable.' });
  }

  const etag = response.headers.get('etag');
  if (etag) setResponseHeader(event, 'etag', etag);
  if (response.ok) return response._data as T;

  const status = response.status;
  if (status === 401) return endSession(event, 'Your session has ended. Sign in again.');
  if (RELAYED_STATUSES.has(status)) {
    throw createError({
      statusCode: status,
      statusMessage: response.statusText || undefined,
      message: upstreamMessage(response._data, response.statusText || `HTTP ${status}`),
    });
  }
  logApiCallFailure(event, { method, path, status });
  throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API failed to answer.' });
}

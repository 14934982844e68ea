// OpenID Connect helpers shared by the sign-in route, the sign-out route and the platform API
// client: the provider's discovery document, the token set → session mapping, and the refresh
// of the access token with the refresh token.
import type { H3Event } from 'h3';
import type { SecureSessionData } from '#auth-utils';

export interface OidcDiscovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
}

export interface OidcTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number | string;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

/** The refresh token was refused (expired, revoked or already used): the user must sign in again. */
export class OidcRefreshRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`the identity provider refused the refresh token: ${reason}`);
    this.name = 'OidcRefreshRejectedError';
  }
}

export function oidcSettings(event: H3Event) {
  const { oidc } = useRuntimeConfig(event).oauth;
  return {
    clientId: String(oidc.clientId ?? ''),
    clientSecret: String(oidc.clientSecret ?? ''),
    openidConfig: String(oidc.openidConfig ?? ''),
    redirectURL: String(oidc.redirectURL ?? ''),
    scope: oidcScopes(oidc.scope),
    postLogoutRedirectURL: String(oidc.postLogoutRedirectURL ?? ''),
  };
}

/** NUXT_OAUTH_OIDC_SCOPE is space- or comma-separated; `openid` is always included, once. */
export function oidcScopes(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,]+/);
  return [...new Set(['openid', ...items.map((s) => s.trim()).filter(Boolean)])];
}

/** Origin the IdP sends the browser back to: the configured redirect URL's, else this request's. */
export function appOrigin(event: H3Event): string {
  const { redirectURL } = oidcSettings(event);
  return redirectURL ? new URL(redirectURL).origin : getRequestURL(event).origin;
}

/** The registered redirect URI: NUXT_OAUTH_OIDC_REDIRECT_URL, else `<origin>/auth/oidc/callback`. */
export function oidcRedirectUrl(event: H3Event): string {
  return oidcSettings(event).redirectURL || `${getRequestURL(event).origin}/auth/oidc/callback`;
}

const DISCOVERY_TTL_MS = 10 * 60_000;
const discoveryCache = new Map<string, { at: number; doc: Promise<OidcDiscovery> }>();

/** The provider's discovery document, cached for ten minutes (failures are not cached). */
export function oidcDiscovery(url: string): Promise<OidcDiscovery> {
  const hit = discoveryCache.get(url);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.doc;
  const doc = $fetch<OidcDiscovery>(url, { retry: 1, timeout: 10_000 });
  discoveryCache.set(url, { at: Date.now(), doc });
  doc.catch(() => discoveryCache.delete(url));
  return doc;
}

/** `exp` of a JWT in epoch milliseconds, without verifying it (the token came straight from the IdP). */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The server-only part of the session for a token response. */
export function secureSessionFromTokens(tokens: OidcTokenResponse, previous?: SecureSessionData): SecureSessionData {
  const expiresIn = Number(tokens.expires_in);
  const expiresAt =
    Number.isFinite(expiresIn) && expiresIn > 0
      ? Date.now() + expiresIn * 1000
      : (jwtExpiry(tokens.access_token) ?? Date.now() + 5 * 60_000);
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  const idToken = tokens.id_token ?? previous?.idToken;
  return { accessToken: tokens.access_token, ...(refreshToken ? { refreshToken } : {}), ...(idToken ? { idToken } : {}), expiresAt };
}

// Refresh tokens rotate: a second use of the same one is refused (and may revoke the grant).
// Concurrent requests carrying the same session therefore share one refresh, and its result is
// kept for a minute for the requests that still carry the old cookie.
const REFRESH_REUSE_MS = 60_000;
const refreshes = new Map<string, { at: number; result: Promise<SecureSessionData> }>();

export function refreshSecureSession(event: H3Event, previous: SecureSessionData): Promise<SecureSessionData> {
  const refreshToken = previous.refreshToken;
  if (!refreshToken) return Promise.reject(new OidcRefreshRejectedError('no refresh token in the session'));
  const now = Date.now();
  for (const [key, entry] of refreshes) if (now - entry.at > REFRESH_REUSE_MS) refreshes.delete(key);
  const hit = refreshes.get(refreshToken);
  if (hit) return hit.result;

  const settings = oidcSettings(event);
  const result = (async () => {
    const { token_endpoint } = await oidcDiscovery(settings.openidConfig);
    const response = await $fetch.raw<OidcTokenResponse & { error?: string; error_description?: string }>(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      }).toString(),
      ignoreResponseError: true,
      retry: 0,
      timeout: 10_000,
    });
    const data = response._data;
    if (response.status === 400 || response.status === 401) {
      throw new OidcRefreshRejectedError(data?.error_description ?? data?.error ?? `HTTP ${response.status}`);
    }
    if (!response.ok || !data?.access_token) {
      throw new Error(`the identity provider's token endpoint answered ${response.status}`);
    }
    return secureSessionFromTokens(data, previous);
  })();
  refreshes.set(refreshToken, { at: now, result });
  // Rejections are not shared with later requests (a transient failure may be retried)...
  result.catch(() => refreshes.delete(refreshToken));
  return result;
}

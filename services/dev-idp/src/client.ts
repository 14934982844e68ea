/**
 * A scripted browser for the dev IdP: runs the real authorization code + PKCE flow over HTTP
 * (discovery, authorize, login form, implicit consent, token exchange) to obtain real tokens.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { TokenEndpointAuthMethod } from './config.js';

export interface ObtainTokensOptions {
  /** Issuer identifier, e.g. `http://127.0.0.1:9000/application/o/dezky-operator/`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Must be registered for the client; it is never requested, only matched. */
  redirectUri: string;
  /** Email or username. */
  username: string;
  password: string;
  /** Defaults to `openid email profile offline_access`. */
  scope?: string;
  /** Defaults to `client_secret_basic`. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
}

export interface TokenSet {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

export interface RefreshTokensOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
}

export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  [key: string]: unknown;
}

/** Raised when the flow cannot complete; `code` tells why. */
export class DevIdpFlowError extends Error {
  constructor(
    message: string,
    readonly code: 'discovery_failed' | 'invalid_credentials' | 'authorization_failed' | 'token_request_failed' | 'unexpected_response',
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DevIdpFlowError';
  }
}

const MAX_STEPS = 20;

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number | undefined;
}

/** Just enough of a cookie jar for one host: honours Path, Max-Age and Expires. */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, StoredCookie>>();

  store(requestUrl: URL, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const lastSlash = requestUrl.pathname.lastIndexOf('/');
      let path = lastSlash > 0 ? requestUrl.pathname.slice(0, lastSlash) : '/';
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const attrValue = rest.join('=').trim();
        if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
        else if (key === 'max-age') expiresAt = Date.now() + Number(attrValue) * 1000;
        else if (key === 'expires' && expiresAt === undefined) expiresAt = Date.parse(attrValue);
      }
      const host = requestUrl.host;
      let hostCookies = this.#cookies.get(host);
      if (!hostCookies) {
        hostCookies = new Map();
        this.#cookies.set(host, hostCookies);
      }
      const id = `${path}\u0000${name}`;
      if (expiresAt !== undefined && expiresAt <= Date.now()) hostCookies.delete(id);
      else hostCookies.set(id, { name, value, path, expiresAt });
    }
  }

  header(requestUrl: URL): string | undefined {
    const hostCookies = this.#cookies.get(requestUrl.host);
    if (!hostCookies) return undefined;
    const now = Date.now();
    const pathname = requestUrl.pathname;
    const matching = [...hostCookies.values()]
      .filter((cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now)
      .filter(
        (cookie) =>
          pathname === cookie.path ||
          (pathname.startsWith(cookie.path) && (cookie.path.endsWith('/') || pathname[cookie.path.length] === '/')),
      )
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') : undefined;
  }
}

const base64url = (buffer: Buffer) => buffer.toString('base64url');

function issuerWithSlash(issuer: string): string {
  return issuer.endsWith('/') ? issuer : `${issuer}/`;
}

/** Fetches `<issuer>.well-known/openid-configuration` and checks its `issuer`. */
export async function discover(issuer: string): Promise<DiscoveryDocument> {
  const url = `${issuerWithSlash(issuer)}.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new DevIdpFlowError(`dev-idp: cannot reach ${url}: ${(error as Error).message}`, 'discovery_failed', error);
  }
  if (!response.ok) {
    throw new DevIdpFlowError(`dev-idp: discovery at ${url} answered HTTP ${response.status}`, 'discovery_failed');
  }
  const document = (await response.json()) as DiscoveryDocument;
  if (document.issuer !== issuer && document.issuer !== issuerWithSlash(issuer)) {
    throw new DevIdpFlowError(
      `dev-idp: discovery issuer mismatch: expected ${issuer}, got ${document.issuer}`,
      'discovery_failed',
    );
  }
  return document;
}

function clientAuth(
  method: TokenEndpointAuthMethod,
  clientId: string,
  clientSecret: string,
  body: URLSearchParams,
): Record<string, string> {
  if (method === 'client_secret_post') {
    body.set('client_id', clientId);
    body.set('client_secret', clientSecret);
    return {};
  }
  const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

async function tokenRequest(
  tokenEndpoint: string,
  method: TokenEndpointAuthMethod,
  clientId: string,
  clientSecret: string,
  body: URLSearchParams,
): Promise<TokenSet> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    ...clientAuth(method, clientId, clientSecret, body),
  };
  const response = await fetch(tokenEndpoint, { method: 'POST', headers, body });
  const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || !json || typeof json.access_token !== 'string') {
    const reason = json?.error
      ? `${String(json.error)}${json.error_description ? `: ${String(json.error_description)}` : ''}`
      : `HTTP ${response.status}`;
    throw new DevIdpFlowError(`dev-idp: token request failed (${reason})`, 'token_request_failed', json);
  }
  return json as unknown as TokenSet;
}

function isRedirectTarget(location: URL, redirectUri: URL): boolean {
  return location.origin === redirectUri.origin && location.pathname === redirectUri.pathname;
}

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function extractError(html: string): string | undefined {
  const match = /data-dev-idp-error[^>]*>([^<]*)</.exec(html);
  return match?.[1]?.trim().replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity] ?? entity);
}

/**
 * Runs the authorization code + PKCE flow like a browser would and returns the token response.
 * Throws `DevIdpFlowError` with code `invalid_credentials` for a wrong username/password.
 */
export async function obtainTokens(options: ObtainTokensOptions): Promise<TokenSet> {
  const discovery = await discover(options.issuer);
  const redirectUri = new URL(options.redirectUri);
  const jar = new CookieJar();
  const method = options.tokenEndpointAuthMethod ?? 'client_secret_basic';

  const codeVerifier = base64url(randomBytes(32));
  const codeChallenge = base64url(createHash('sha256').update(codeVerifier).digest());
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));

  const scope = options.scope ?? 'openid email profile offline_access';
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope,
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    // oidc-provider only keeps offline_access when consent is prompted for (auto-approved here).
    ...(scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
  }).toString();

  let url = authorize;
  let init: { method: 'GET' | 'POST'; body?: URLSearchParams } = { method: 'GET' };
  let loginSubmitted = false;
  let code: string | undefined;

  for (let step = 0; step < MAX_STEPS && code === undefined; step += 1) {
    const headers: Record<string, string> = { accept: 'text/html,application/json' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (init.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method, headers, body: init.body, redirect: 'manual' });
    jar.store(url, response.headers.getSetCookie());

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const target = new URL(location, url);
      if (isRedirectTarget(target, redirectUri)) {
        const params = target.searchParams;
        const error = params.get('error');
        if (error) {
          const description = params.get('error_description');
          throw new DevIdpFlowError(
            `dev-idp: authorization failed (${error}${description ? `: ${description}` : ''})`,
            'authorization_failed',
            Object.fromEntries(params),
          );
        }
        if (params.get('state') !== state) {
          throw new DevIdpFlowError('dev-idp: state mismatch in authorization response', 'authorization_failed');
        }
        code = params.get('code') ?? undefined;
        if (!code) throw new DevIdpFlowError('dev-idp: no code in authorization response', 'authorization_failed');
        break;
      }
      url = target;
      init = { method: 'GET' };
      continue;
    }

    const html = await response.text();
    const form = /<form[^>]*data-dev-idp-form="login"[^>]*>/.exec(html)?.[0];
    const action = form ? /action="([^"]*)"/.exec(form)?.[1] : undefined;
    if (response.status === 401 && loginSubmitted) {
      throw new DevIdpFlowError(
        `dev-idp: sign-in rejected for ${options.username}: ${extractError(html) ?? 'invalid username or password'}`,
        'invalid_credentials',
      );
    }
    if (response.ok && action && !loginSubmitted) {
      url = new URL(action.replace(/&amp;/g, '&'), url);
      init = { method: 'POST', body: new URLSearchParams({ login: options.username, password: options.password }) };
      loginSubmitted = true;
      continue;
    }
    const reason = extractError(html);
    if (reason) throw new DevIdpFlowError(`dev-idp: authorization failed: ${reason}`, 'authorization_failed');
    throw new DevIdpFlowError(
      `dev-idp: authorization flow failed: unexpected HTTP ${response.status} at ${url.pathname}`,
      'unexpected_response',
    );
  }

  if (code === undefined) {
    throw new DevIdpFlowError('dev-idp: too many redirects in authorization flow', 'unexpected_response');
  }

  return tokenRequest(
    discovery.token_endpoint,
    method,
    options.clientId,
    options.clientSecret,
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      code_verifier: codeVerifier,
    }),
  );
}

/** Exchanges a refresh token at the issuer's token endpoint. */
export async function refreshTokens(options: RefreshTokensOptions): Promise<TokenSet> {
  const discovery = await discover(options.issuer);
  return tokenRequest(
    discovery.token_endpoint,
    options.tokenEndpointAuthMethod ?? 'client_secret_basic',
    options.clientId,
    options.clientSecret,
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: options.refreshToken }),
  );
}

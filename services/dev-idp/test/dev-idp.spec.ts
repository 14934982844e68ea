import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CLI_REDIRECT_URI,
  DevIdpFlowError,
  DevIdpProductionError,
  discover,
  generateSigningJwks,
  obtainTokens,
  refreshTokens,
  startDevIdp,
  type DevIdpAppKey,
  type DevIdpHandle,
  type ObtainTokensOptions,
} from '../src/index.js';

const OPERATOR_REDIRECT = 'http://127.0.0.1:3100/auth/oidc/callback';
const PORTAL_REDIRECT = 'http://localhost:3200/auth/oidc/callback';

let idp: DevIdpHandle;

beforeAll(async () => {
  idp = await startDevIdp({ port: 0 });
});

afterAll(async () => {
  await idp?.close();
});

/** Each application's client and a user of it, as the flows below sign in unless told otherwise. */
const LOGIN: Record<DevIdpAppKey, Omit<ObtainTokensOptions, 'issuer'>> = {
  operator: { clientId: 'dezky-operator', clientSecret: 'dev-secret-operator', redirectUri: OPERATOR_REDIRECT, username: 'admin@dezky.test', password: 'admin-password' },
  portal: { clientId: 'dezky-portal', clientSecret: 'dev-secret-portal', redirectUri: PORTAL_REDIRECT, username: 'alice@customer.test', password: 'alice-password' },
};

/** The authorization code flow for `app` at `provider` (this file's unless given), with `change` over LOGIN's options. */
function login(app: DevIdpAppKey, change: Partial<ObtainTokensOptions> = {}, provider: DevIdpHandle = idp) {
  return obtainTokens({ issuer: provider.issuers[app], ...LOGIN[app], ...change });
}

function operatorLogin(username = LOGIN.operator.username, password = LOGIN.operator.password) {
  return login('operator', { username, password });
}

function portalLogin(username = LOGIN.portal.username, password = LOGIN.portal.password) {
  return login('portal', { username, password });
}

async function verifyAt(issuer: string, token: string, audience: string) {
  const { jwks_uri } = await discover(issuer);
  return jwtVerify(token, createRemoteJWKSet(new URL(jwks_uri)), { issuer, audience, algorithms: ['RS256'] });
}

describe('issuers and discovery', () => {
  it('serves both Authentik-style issuers on one server', () => {
    expect(idp.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.issuers.operator).toBe(`${idp.baseUrl}/application/o/dezky-operator/`);
    expect(idp.issuers.portal).toBe(`${idp.baseUrl}/application/o/dezky-portal/`);
  });

  it.each(['operator', 'portal'] as const)('publishes an exact discovery document for %s', async (app) => {
    const issuer = idp.issuers[app];
    const response = await fetch(`${issuer}.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Record<string, unknown>;
    expect(document.issuer).toBe(issuer);
    expect(document.jwks_uri).toBe(`${issuer}jwks`);
    expect(document.authorization_endpoint).toBe(`${issuer}authorize`);
    expect(document.token_endpoint).toBe(`${issuer}token`);
    expect(document.userinfo_endpoint).toBe(`${issuer}userinfo`);
    expect(document.code_challenge_methods_supported).toEqual(['S256']);
    expect(document.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile', 'offline_access']));

    const jwks = (await (await fetch(String(document.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('uses a different signing key per issuer', async () => {
    const keysOf = async (issuer: string) => {
      const { jwks_uri } = await discover(issuer);
      const { keys } = (await (await fetch(jwks_uri)).json()) as { keys: { kid: string }[] };
      return keys.map((key) => key.kid);
    };
    const operatorKids = await keysOf(idp.issuers.operator);
    const portalKids = await keysOf(idp.issuers.portal);
    expect(operatorKids.filter((kid) => portalKids.includes(kid))).toEqual([]);
  });

  it('answers 404 outside the applications and reports health', async () => {
    expect((await fetch(`${idp.baseUrl}/application/o/unknown/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${idp.baseUrl}/-/health/live/`)).status).toBe(200);
  });
});

describe('login page', () => {
  it('renders a labelled username/password form with a Sign in button', async () => {
    const authorize = new URL(`${idp.issuers.portal}authorize`);
    authorize.search = new URLSearchParams({
      client_id: 'dezky-portal',
      redirect_uri: PORTAL_REDIRECT,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      login_hint: 'alice@customer.test',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const location = new URL(redirect.headers.get('location')!, authorize);
    expect(location.pathname).toMatch(/^\/application\/o\/dezky-portal\/interaction\/[^/]+$/);
    const cookie = redirect.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; ');

    const html = await (await fetch(location, { headers: { cookie } })).text();
    expect(html).toMatch(/<label for="login">[^<]+<\/label>/);
    expect(html).toMatch(/<input id="login" name="login"[^>]*value="alice@customer\.test"/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(html).toContain(`action="${location.pathname}/login"`);
  });
});

describe('obtainTokens (authorization code + PKCE)', () => {
  it('issues an RS256 JWT access token for the operator admin', async () => {
    const tokens = await operatorLogin();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBeGreaterThan(3500);
    expect(decodeProtectedHeader(tokens.access_token).alg).toBe('RS256');

    const { payload } = await verifyAt(idp.issuers.operator, tokens.access_token, 'dezky-operator');
    expect(payload).toMatchObject({
      iss: idp.issuers.operator,
      aud: 'dezky-operator',
      sub: 'user-admin',
      email: 'admin@dezky.test',
      email_verified: true,
      name: 'Olivia Operator',
      client_id: 'dezky-operator',
    });
    expect(typeof payload.iat).toBe('number');
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(String(payload.scope).split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  });

  it('issues a verifiable ID token with the profile and email claims', async () => {
    const tokens = await operatorLogin();
    const { payload } = await verifyAt(idp.issuers.operator, tokens.id_token, 'dezky-operator');
    expect(payload).toMatchObject({
      sub: 'user-admin',
      email: 'admin@dezky.test',
      email_verified: true,
      name: 'Olivia Operator',
    });
    expect(payload.nonce).toEqual(expect.any(String));
  });

  it('issues a JWT access token for alice on the portal', async () => {
    const tokens = await portalLogin();
    const { payload } = await verifyAt(idp.issuers.portal, tokens.access_token, 'dezky-portal');
    expect(payload).toMatchObject({
      iss: idp.issuers.portal,
      aud: 'dezky-portal',
      sub: 'user-alice',
      email: 'alice@customer.test',
      name: 'Alice Customer',
    });
  });

  it('lets bob sign in too, with the default scope when asked for less', async () => {
    const tokens = await login('portal', { redirectUri: CLI_REDIRECT_URI, username: 'BOB@customer.test', password: 'bob-password', scope: 'openid' });
    const { payload } = await verifyAt(idp.issuers.portal, tokens.access_token, 'dezky-portal');
    expect(payload.sub).toBe('user-bob');
    // The API provisions users from the access token alone: identity claims are always present.
    expect(payload).toMatchObject({ email: 'bob@customer.test', name: 'Bob Customer' });
  });

  it('fails with a clear error on a wrong password', async () => {
    const attempt = operatorLogin('admin@dezky.test', 'wrong-password');
    await expect(attempt).rejects.toBeInstanceOf(DevIdpFlowError);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: expect.stringMatching(/sign-in rejected for admin@dezky\.test: Invalid username or password/),
    });
  });

  it('fails with a clear error for an unknown user', async () => {
    await expect(operatorLogin('mallory@evil.test', 'x')).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('rejects a redirect URI that is not registered', async () => {
    await expect(
      login('operator', { redirectUri: 'http://127.0.0.1:4000/evil' }),
    ).rejects.toMatchObject({
      code: 'authorization_failed',
      message: expect.stringMatching(/invalid_redirect_uri: redirect_uri did not match any of the client's registered/),
    });
  });

  it('rejects a wrong client secret at the token endpoint', async () => {
    await expect(
      login('operator', { clientSecret: 'not-the-secret' }),
    ).rejects.toMatchObject({ code: 'token_request_failed', message: expect.stringMatching(/invalid_client/) });
  });

  it('does not let the portal client use the operator issuer', async () => {
    await expect(
      login('portal', { issuer: idp.issuers.operator }),
    ).rejects.toMatchObject({ code: 'authorization_failed', message: expect.stringMatching(/invalid_client/) });
  });
});

describe('issuer isolation', () => {
  it('a portal token does not verify against the operator issuer', async () => {
    const tokens = await portalLogin();
    // Operator keys: the signature does not match.
    await expect(verifyAt(idp.issuers.operator, tokens.access_token, 'dezky-operator')).rejects.toThrow();
    // Even with the right keys, the operator issuer/audience is rejected.
    const { jwks_uri } = await discover(idp.issuers.portal);
    await expect(
      jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(jwks_uri)), { issuer: idp.issuers.operator }),
    ).rejects.toThrow(/iss/);
    await expect(
      jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(jwks_uri)), { audience: 'dezky-operator' }),
    ).rejects.toThrow(/aud/);
  });
});

describe('refresh tokens and userinfo', () => {
  it('refreshes into a new JWT access token', async () => {
    const tokens = await operatorLogin();
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await refreshTokens({
      issuer: idp.issuers.operator,
      clientId: 'dezky-operator',
      clientSecret: 'dev-secret-operator',
      refreshToken: tokens.refresh_token!,
    });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const { payload } = await verifyAt(idp.issuers.operator, refreshed.access_token, 'dezky-operator');
    expect(payload).toMatchObject({ sub: 'user-admin', email: 'admin@dezky.test', aud: 'dezky-operator' });
    expect(refreshed.id_token).toEqual(expect.any(String));
  });

  it('rejects an unknown refresh token', async () => {
    await expect(
      refreshTokens({
        issuer: idp.issuers.operator,
        clientId: 'dezky-operator',
        clientSecret: 'dev-secret-operator',
        refreshToken: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'token_request_failed', message: expect.stringMatching(/invalid_grant/) });
  });

  it('answers userinfo for its own access tokens only', async () => {
    const tokens = await portalLogin();
    const { userinfo_endpoint } = await discover(idp.issuers.portal);
    const ok = await fetch(userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ sub: 'user-alice', email: 'alice@customer.test', name: 'Alice Customer' });

    const operatorUserinfo = `${idp.issuers.operator}userinfo`;
    const rejected = await fetch(operatorUserinfo, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});

describe('options', () => {
  it('honours short access token lifetimes, fixed keys, custom users and redirect URIs', async () => {
    const jwks = generateSigningJwks();
    const custom = await startDevIdp({
      port: 0,
      accessTokenTtlSeconds: 5,
      jwks: { operator: jwks },
      users: [{ sub: 'user-carol', email: 'carol@dezky.test', password: 'carol-password', name: 'Carol' }],
      clients: { operator: { clientSecret: 'other-secret', redirectUris: ['http://127.0.0.1:5555/cb'] } },
    });
    try {
      const tokens = await login('operator', { clientSecret: 'other-secret', redirectUri: 'http://127.0.0.1:5555/cb', username: 'carol@dezky.test', password: 'carol-password' }, custom);
      expect(tokens.expires_in).toBeLessThanOrEqual(5);
      const claims = decodeJwt(tokens.access_token);
      expect(claims.exp! - claims.iat!).toBe(5);
      expect(claims.sub).toBe('user-carol');
      expect(decodeProtectedHeader(tokens.access_token).kid).toBe(jwks.keys[0]!.kid);
      await verifyAt(custom.issuers.operator, tokens.access_token, 'dezky-operator');

      await expect(
        login('operator', { clientSecret: 'other-secret', redirectUri: 'http://127.0.0.1:5555/cb' }, custom),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
    } finally {
      await custom.close();
    }
  });

  it('refuses to start when NODE_ENV=production', async () => {
    await expect(startDevIdp({ port: 0, env: { NODE_ENV: 'production' } })).rejects.toBeInstanceOf(
      DevIdpProductionError,
    );
    await expect(startDevIdp({ port: 0, env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /refuses to start: NODE_ENV=production/,
    );
  });

  it('reads NODE_ENV from process.env by default', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startDevIdp({ port: 0 })).rejects.toBeInstanceOf(DevIdpProductionError);
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
  });
});

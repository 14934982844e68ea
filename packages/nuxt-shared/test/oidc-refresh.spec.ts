// The platform API client's access-token refresh (server/utils/oidc.ts, platform-api.ts) against
// the real dev IdP: concurrent requests of one session share one refresh (a provider that rotates
// refresh tokens refuses a second use), and a refused refresh token ends the session.
import { CLI_REDIRECT_URI, obtainTokens, startDevIdp, type DevIdpHandle } from '@dezky/dev-idp';
import { $fetch } from 'ofetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import './support/auto-imports';
import type { H3Event } from 'h3';
import { OidcRefreshRejectedError, refreshSecureSession, secureSessionFromTokens } from '../server/utils/oidc';
import { sessionAccessToken } from '../server/utils/platform-api';

let idp: DevIdpHandle;
/** The token endpoint's requests since the last test began. */
let tokenRequests: string[] = [];

const event = {} as H3Event;
const sessionWrites: string[] = [];

beforeAll(async () => {
  idp = await startDevIdp({ port: 0, env: { NODE_ENV: 'test' } });
  const app = idp.applications.operator;
  Object.assign(globalThis, {
    // The app's runtime configuration as nuxt.config.ts gives it for the operator app.
    useRuntimeConfig: () => ({
      oauth: { oidc: { clientId: app.clientId, clientSecret: app.clientSecret, openidConfig: `${app.issuer}.well-known/openid-configuration` } },
    }),
    // The real fetch, with the token endpoint's calls counted.
    $fetch: $fetch.create({
      onRequest({ request }) {
        if (String(request).endsWith('/token')) tokenRequests.push(String(request));
      },
    }),
    refreshSecureSession,
    OidcRefreshRejectedError,
    // nuxt-auth-utils' session writes (sealed cookies need the Nuxt runtime): what the client asks of them.
    setUserSession: async (_event: H3Event, data: { secure?: { accessToken: string } }) => {
      sessionWrites.push(`set ${data.secure ? 'secure' : 'user'}`);
    },
    clearUserSession: async () => {
      sessionWrites.push('clear');
    },
  });
});
afterAll(async () => {
  await idp?.close();
});
beforeEach(() => {
  tokenRequests = [];
  sessionWrites.length = 0;
});

/** The claims of a JWT, read without verifying it (the IdP signed it; here only its content matters). */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A real session of admin@dezky.test: the token set of a sign-in, as the session keeps it. */
async function signedIn() {
  const app = idp.applications.operator;
  const tokens = await obtainTokens({
    issuer: app.issuer,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: CLI_REDIRECT_URI,
    username: 'admin@dezky.test',
    password: 'admin-password',
  });
  tokenRequests = [];
  return secureSessionFromTokens(tokens);
}

describe('refreshSecureSession', () => {
  it('gives concurrent requests of one session one refresh, and its tokens', async () => {
    const session = await signedIn();
    const answers = await Promise.all([refreshSecureSession(event, session), refreshSecureSession(event, session), refreshSecureSession(event, session)]);
    expect(tokenRequests).toHaveLength(1);
    expect(answers[0]!.accessToken).not.toBe(session.accessToken);
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
    // A request still carrying the old cookie a moment later gets the same refresh, not a second one.
    expect(await refreshSecureSession(event, session)).toBe(answers[0]);
    expect(tokenRequests).toHaveLength(1);
    // The refreshed session carries the ID token the IdP gave with the refresh: the same person,
    // client and sign-in (nonce), issued now (a token issued in the sign-in's second is byte-equal).
    const signIn = claims(session.idToken!);
    const refreshed = claims(answers[0]!.idToken!);
    expect({ sub: refreshed.sub, aud: refreshed.aud, nonce: refreshed.nonce }).toEqual({ sub: signIn.sub, aud: signIn.aud, nonce: signIn.nonce });
    expect(refreshed.iat).toBeGreaterThanOrEqual(signIn.iat as number);
    expect(answers[0]!.refreshToken).toEqual(expect.any(String));
  });

  it("keeps the sign-in's ID token and refresh token when a refresh answers without them", () => {
    const previous = { accessToken: 'old-access', refreshToken: 'sign-in-refresh', idToken: 'sign-in-id-token', expiresAt: 0 };
    const session = secureSessionFromTokens({ access_token: 'new-access', expires_in: 300 } as never, previous);
    expect(session).toEqual({ accessToken: 'new-access', refreshToken: 'sign-in-refresh', idToken: 'sign-in-id-token', expiresAt: expect.any(Number) });
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 290_000);
  });

  it('rejects a refresh token the IdP refuses, and does not keep the refusal', async () => {
    const session = { ...(await signedIn()), refreshToken: 'not-a-refresh-token' };
    const refused = await refreshSecureSession(event, session).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OidcRefreshRejectedError);
    expect(tokenRequests).toHaveLength(1);
    await expect(refreshSecureSession(event, session)).rejects.toBeInstanceOf(OidcRefreshRejectedError);
    expect(tokenRequests).toHaveLength(2);
  });

  it('rejects a session without a refresh token without asking the IdP', async () => {
    const { refreshToken: _none, ...session } = await signedIn();
    await expect(refreshSecureSession(event, session)).rejects.toThrow('the identity provider refused the refresh token: no refresh token in the session');
    expect(tokenRequests).toEqual([]);
  });
});

describe('sessionAccessToken', () => {
  const user = { id: 'u1', email: 'admin@dezky.test', name: 'Olivia Operator', platformAdmin: true };

  it('uses the access token while it is fresh', async () => {
    const secure = await signedIn();
    await expect(sessionAccessToken(event, { user, secure } as never)).resolves.toBe(secure.accessToken);
    expect(tokenRequests).toEqual([]);
    expect(sessionWrites).toEqual([]);
  });

  it('refreshes a token about to expire and keeps the new one in the session', async () => {
    const secure = { ...(await signedIn()), expiresAt: Date.now() + 10_000 };
    const token = await sessionAccessToken(event, { user, secure } as never);
    expect(token).not.toBe(secure.accessToken);
    expect(tokenRequests).toHaveLength(1);
    expect(sessionWrites).toEqual(['set secure']);
  });

  it('ends the session when the refresh token is refused: the user must sign in again', async () => {
    const secure = { ...(await signedIn()), refreshToken: 'revoked-refresh-token', expiresAt: Date.now() + 10_000 };
    const error = (await sessionAccessToken(event, { user, secure } as never).catch((e: unknown) => e)) as { statusCode: number; message: string };
    expect({ statusCode: error.statusCode, message: error.message }).toEqual({ statusCode: 401, message: 'Your session has ended. Sign in again.' });
    expect(sessionWrites).toEqual(['clear']);
  });
});

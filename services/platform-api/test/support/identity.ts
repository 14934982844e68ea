import { DEFAULT_USERS, generateSigningJwks, type DevIdpAppKey, type DevIdpHandle, type PrivateJwks } from '@dezky/dev-idp';
import { accessTokens, issuerEnv, startIdp } from '@dezky/test-stack';
import { base64url, importJWK, SignJWT, type JWTPayload } from 'jose';

export const ADMIN = 'admin@dezky.test';
export const ALICE = 'alice@customer.test';
export const BOB = 'bob@customer.test';
/** Signs in to the operator application but is not a platform administrator. */
export const CAROL = 'carol@dezky.test';

export interface Identity {
  idp: DevIdpHandle;
  issuers: { operator: string; portal: string };
  /** The API's environment for this provider: trusted issuers and the bootstrap admin. */
  env: Record<string, string>;
  /** A real access token from the provider's authorization code + PKCE flow (kept per app and user until shortly before it expires). */
  token(app: DevIdpAppKey, email: string): Promise<string>;
  /** A token signed with the provider's own key, for cases the flow cannot produce (expired, ...). */
  sign(app: DevIdpAppKey, claims: JWTPayload, options?: { expiresAt?: number; issuedAt?: number }): Promise<string>;
  /** The provider's public key of an application, as a JWK. */
  publicJwk(app: DevIdpAppKey): Record<string, unknown>;
  close(): Promise<void>;
}

/** Starts the dev OpenID provider on a free port, with keys the tests can also sign with. */
export async function startIdentity(): Promise<Identity> {
  const jwks: Record<DevIdpAppKey, PrivateJwks> = { operator: generateSigningJwks(), portal: generateSigningJwks() };
  const idp = await startIdp({
    jwks,
    users: [...DEFAULT_USERS, { sub: 'user-carol', email: CAROL, password: 'carol-password', name: 'Carol Colleague' }],
  });
  const tokens = accessTokens(idp);
  return {
    idp,
    issuers: idp.issuers,
    env: {
      ...issuerEnv(idp),
      PLATFORM_ADMIN_EMAILS: ADMIN,
    },
    token: (app, email) => tokens(app, email),
    async sign(app, claims, options = {}) {
      const jwk = jwks[app].keys[0]!;
      const key = await importJWK(jwk as Parameters<typeof importJWK>[0], 'RS256');
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: idp.issuers[app],
        aud: idp.applications[app].clientId,
        iat: options.issuedAt ?? now,
        exp: options.expiresAt ?? now + 600,
        email_verified: true,
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid as string, typ: 'at+jwt' }).sign(key);
    },
    publicJwk(app) {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwks[app].keys[0]!;
      return pub;
    },
    close: () => idp.close(),
  };
}

/** Re-encodes a token's payload without re-signing it. */
export function tamper(token: string, patch: JWTPayload): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as JWTPayload;
  return [header, base64url.encode(JSON.stringify({ ...claims, ...patch })), signature].join('.');
}

/** An unsigned token (`alg: none`) with the given claims. */
export function unsigned(claims: JWTPayload): string {
  return [base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' })), base64url.encode(JSON.stringify(claims)), ''].join('.');
}

/** An HS256 token whose HMAC secret is the issuer's public key: the classic key-confusion attack. */
export async function hs256WithPublicKey(claims: JWTPayload, publicJwk: Record<string, unknown>): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
}

export function claimsOf(token: string): JWTPayload {
  return JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[1]!))) as JWTPayload;
}

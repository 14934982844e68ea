import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export class InvalidTokenError extends Error {}
export class IdentityProviderUnavailableError extends Error {}

export interface VerifiedToken {
  issuer: string;
  subject: string;
  audiences: string[];
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

type Jwks = ReturnType<typeof createRemoteJWKSet>;

/** `<issuer>/.well-known/openid-configuration`, with exactly one slash between the two. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

const ALGORITHMS = ['RS256', 'ES256'];

/**
 * Verifies bearer tokens against the configured issuers. Each issuer's jwks_uri is discovered
 * once and its key set kept for the life of the process (jose caches and refreshes keys on
 * rotation), never created per request.
 */
@Injectable()
export class TokenVerifier {
  private readonly keySets = new Map<string, Promise<Jwks>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verify(token: string): Promise<VerifiedToken> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new InvalidTokenError('The bearer token is malformed');
    }
    const issuer = unverified.iss;
    // Exact match: the issuer picks the key set, so it must be one we trust before anything else.
    if (typeof issuer !== 'string' || !this.config.auth.issuers.includes(issuer)) {
      throw new InvalidTokenError('The token was not issued by a trusted issuer');
    }
    const jwks = await this.keySet(issuer);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: this.config.auth.audiences,
        algorithms: ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || isNetworkError(error)) {
        throw new IdentityProviderUnavailableError('The identity provider could not be reached to verify the token');
      }
      throw new InvalidTokenError(describe(error));
    }
    const aud = payload.aud;
    return {
      issuer,
      subject: payload.sub!,
      audiences: Array.isArray(aud) ? aud : aud ? [aud] : [],
      email: typeof payload.email === 'string' ? payload.email : undefined,
      emailVerified: payload.email_verified === true,
      name: typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    };
  }

  private keySet(issuer: string): Promise<Jwks> {
    let pending = this.keySets.get(issuer);
    if (!pending) {
      pending = this.discover(issuer);
      this.keySets.set(issuer, pending);
      // A failed discovery is retried on the next request rather than remembered.
      pending.catch(() => this.keySets.delete(issuer));
    }
    return pending;
  }

  private async discover(issuer: string): Promise<Jwks> {
    let jwksUri: unknown;
    try {
      const res = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (doc.issuer !== issuer) throw new Error('discovery document names another issuer');
      jwksUri = doc.jwks_uri;
    } catch {
      throw new IdentityProviderUnavailableError('The identity provider could not be reached to verify the token');
    }
    if (typeof jwksUri !== 'string') {
      throw new IdentityProviderUnavailableError('The identity provider publishes no jwks_uri');
    }
    return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The token is not meant for this API (audience)';
    if (error.claim === 'iss') return 'The token was not issued by a trusted issuer';
    return `The token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this API does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token is signed with an unknown key';
  return 'The bearer token is invalid';
}

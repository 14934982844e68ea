import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { Clock } from '../../common/clock';
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
/** Seconds of clock skew accepted on exp, nbf and iat, cached or not. */
const CLOCK_TOLERANCE_S = 30;
/** A verified token is trusted from memory for at most this long, and never past its exp. */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const VERIFIED_TOKEN_MAX = 20_000;

interface CachedToken {
  token: VerifiedToken;
  /** exp plus the tolerance, in ms: from then on the token is refused like any expired one. */
  refuseAfterMs: number;
  /** When memory stops vouching for it and the signature is checked again. */
  reverifyAfterMs: number;
}

/**
 * Verifies bearer tokens against the configured issuers. Each issuer's jwks_uri is discovered
 * once and its key set kept for the life of the process (jose caches and refreshes keys on
 * rotation), never created per request.
 *
 * A verified token's claims are kept in a bounded LRU keyed by the SHA-256 of the raw token,
 * until its exp (at most VERIFIED_TOKEN_TTL_MS), so a caller's next requests cost a hash and
 * a lookup instead of a signature check. Only successful verifications are kept.
 */
@Injectable()
export class TokenVerifier {
  private readonly keySets = new Map<string, Promise<Jwks>>();
  private readonly verified = new LRUCache<string, CachedToken>({ max: VERIFIED_TOKEN_MAX });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The claims of a token verified before, while memory still vouches for it; undefined for any
   * other token (never verified, due for a new check, or expired), which verify() then decides.
   */
  fromMemory(token: string): VerifiedToken | undefined {
    const cached = this.verified.get(cacheKey(token));
    const now = this.clock.now();
    return cached && now <= cached.refuseAfterMs && now <= cached.reverifyAfterMs ? cached.token : undefined;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const key = cacheKey(token);
    const now = this.clock.now();
    const cached = this.verified.get(key);
    if (cached) {
      if (now > cached.refuseAfterMs) {
        this.verified.delete(key);
        throw new InvalidTokenError('The token has expired');
      }
      if (now <= cached.reverifyAfterMs) return cached.token;
      this.verified.delete(key);
    }
    const verified = await this.verifyAgainstIssuer(token, now);
    const refuseAfterMs = verified.exp * 1000 + CLOCK_TOLERANCE_S * 1000;
    const ttl = Math.min(VERIFIED_TOKEN_TTL_MS, refuseAfterMs - now);
    if (ttl > 0) this.verified.set(key, { token: verified.token, refuseAfterMs, reverifyAfterMs: now + ttl }, { ttl });
    return verified.token;
  }

  private async verifyAgainstIssuer(token: string, now: number): Promise<{ token: VerifiedToken; exp: number }> {
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
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || isNetworkError(error)) {
        throw new IdentityProviderUnavailableError('The identity provider could not be reached to verify the token');
      }
      throw new InvalidTokenError(describe(error));
    }
    const aud = payload.aud;
    const verified: VerifiedToken = {
      issuer,
      subject: payload.sub!,
      audiences: Array.isArray(aud) ? aud : aud ? [aud] : [],
      email: typeof payload.email === 'string' ? payload.email : undefined,
      emailVerified: payload.email_verified === true,
      name: typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    };
    return { token: verified, exp: payload.exp! };
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

function cacheKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
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

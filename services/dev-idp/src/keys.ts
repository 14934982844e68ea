import { createHash, generateKeyPairSync } from 'node:crypto';

import type { PrivateJwks } from './config.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** RFC 7638 thumbprint of an RSA JWK, used as its `kid`. */
function rsaThumbprint(jwk: { e?: string; n?: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A fresh RS256 signing key set (one 2048-bit RSA key). */
export function generateSigningJwks(): PrivateJwks {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: rsaThumbprint(jwk), alg: 'RS256', use: 'sig' }] };
}

/** The public half of a private key set (what the jwks_uri publishes). */
export function toPublicJwks(jwks: PrivateJwks): { keys: Record<string, unknown>[] } {
  return {
    keys: jwks.keys.map((key) =>
      Object.fromEntries(Object.entries(key).filter(([member]) => !PRIVATE_MEMBERS.includes(member))),
    ),
  };
}

/** A compact JWS: three base64url parts (padding tolerated), the last two possibly empty. */
const JWT = /^[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*\.[A-Za-z0-9\-_=]*$/;

/**
 * The token of an `Authorization: Bearer <JWT>` header, or undefined when it carries none in
 * that form. The scheme is case-insensitive (RFC 7235): "bearer" and "BEARER" are Bearer too.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value.length < 8 || value.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = value.slice(7);
  return JWT.test(token) ? token : undefined;
}

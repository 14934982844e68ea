// Where to send the browser after signing in: a path of this app, never another site. Used by the
// sign-in route (server) and the sign-in page's middleware (browser).

/**
 * Control characters and backslashes: browsers drop tabs and newlines from a URL and read `\` as
 * `/`, so `/\t/evil.example` or `/\evil.example` would leave the app as `//evil.example`.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * `value` as a path (with query and fragment) on `origin`, or "/" for anything else: other origins,
 * protocol-relative URLs, control characters, and the sign-in routes themselves (`/auth/...`).
 */
export function safeReturnPath(value: unknown, origin: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || UNSAFE_CHARACTERS.test(value)) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin) return '/';
  // Dot segments are resolved by now: `/.//evil.example` has become `//evil.example`.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/auth/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

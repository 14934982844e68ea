// The app's session cookie (nuxt-auth-utils' sealed session) as the request guards and the
// sign-in see it: whether a request carries one, and how to make a request forget it.
import type { H3Event } from 'h3';

/** The app's session cookie name (each app has its own). */
export function sessionCookieName(event?: H3Event): string {
  return String(useRuntimeConfig(event).session.name);
}

/**
 * Whether the request carries the app's session, as a cookie or as h3's session header. A cleared
 * session leaves the cookie with an empty value (h3 clears it that way): that is none.
 */
export function carriesSession(event: H3Event): boolean {
  const name = sessionCookieName(event);
  return Boolean(getRequestHeader(event, `x-${name.toLowerCase()}-session`) || getCookie(event, name));
}

/**
 * Makes the rest of this request see no session: h3 reads the session from the request's cookie
 * again whenever it is cleared, so the cookie (and h3's session header) are taken out of the
 * request, and the browser is told to drop the cookie.
 */
export function forgetRequestSession(event: H3Event): void {
  const name = sessionCookieName(event);
  const headers = event.node.req.headers;
  delete headers[`x-${name.toLowerCase()}-session`];
  if (typeof headers.cookie === 'string') {
    const others = headers.cookie.split(';').filter((part) => part.split('=')[0]?.trim() !== name);
    if (others.length) headers.cookie = others.join(';');
    else delete headers.cookie;
  }
  if (event.context.sessions) delete event.context.sessions[name];
  deleteCookie(event, name, { path: '/' });
}

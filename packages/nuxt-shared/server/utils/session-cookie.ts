// The app's session cookie (nuxt-auth-utils' sealed session) as the request guards see it.
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

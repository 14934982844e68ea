// POST /auth/logout: ends the app's session (recorded as signed out, so every replica refuses a
// copy of its cookie too), then answers where the browser goes next: the identity provider's
// sign-out (RP-initiated logout) with the sign-in's ID token as id_token_hint, so the provider
// knows whose session ends and need not ask again; it sends the browser back to the app's origin
// and from there to /login. A POST, and so under the CSRF rule (server/middleware/2.csrf.ts): no other site can sign
// a user out, as it could with a link.
import type { SecureSessionData } from '#auth-utils';

export default defineEventHandler(async (event) => {
  const idToken = ((await getUserSession(event)).secure as SecureSessionData | undefined)?.idToken;
  await clearUserSession(event);
  const settings = oidcSettings(event);
  if (settings.openidConfig && settings.clientId) {
    const discovery = await oidcDiscovery(settings.openidConfig).catch(() => undefined);
    if (discovery?.end_session_endpoint) {
      const url = new URL(discovery.end_session_endpoint);
      url.searchParams.set('client_id', settings.clientId);
      if (idToken) url.searchParams.set('id_token_hint', idToken);
      url.searchParams.set('post_logout_redirect_uri', settings.postLogoutRedirectURL || `${appOrigin(event)}/`);
      return { redirect: url.href };
    }
  }
  return { redirect: '/login' };
});

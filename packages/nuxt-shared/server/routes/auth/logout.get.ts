// GET /auth/logout: ends the app's session, then the identity provider's (RP-initiated logout),
// which sends the browser back to the app's origin and from there to /login.
export default defineEventHandler(async (event) => {
  await clearUserSession(event);
  const settings = oidcSettings(event);
  if (settings.openidConfig && settings.clientId) {
    const discovery = await oidcDiscovery(settings.openidConfig).catch(() => undefined);
    if (discovery?.end_session_endpoint) {
      const url = new URL(discovery.end_session_endpoint);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('post_logout_redirect_uri', settings.postLogoutRedirectURL || `${appOrigin(event)}/`);
      return sendRedirect(event, url.href);
    }
  }
  return sendRedirect(event, '/login');
});

// The sign-in flow (authorization code + PKCE + state + nonce, by nuxt-auth-utils' generic OIDC
// handler). One handler serves both /auth/oidc (starts the flow) and /auth/oidc/callback (the
// redirect URI registered at the identity provider).
import type { MeResponse } from '@dezky/contracts';
import type { H3Event } from 'h3';
import { REQUEST_ID_HEADER } from '@dezky/contracts';
import { logApiCallFailure, requestId } from './request-id';

const RETURN_COOKIE = 'dezky-auth-return';

function failed(event: H3Event, reason: string) {
  return sendRedirect(event, `/login?error=${encodeURIComponent(reason)}`);
}

export async function handleOidcSignIn(event: H3Event) {
  const query = getQuery(event);
  if (!query.code && !query.error) {
    // Starting the flow: remember where to come back to.
    setCookie(event, RETURN_COOKIE, safeReturnPath(query.redirect, appOrigin(event)), {
      httpOnly: true,
      secure: !import.meta.dev,
      sameSite: 'lax',
      path: '/',
      maxAge: 600,
    });
  }
  const settings = oidcSettings(event);
  const handler = defineOAuthOidcEventHandler({
    config: {
      redirectURL: oidcRedirectUrl(event),
      // nuxt-auth-utils appends `openid` itself.
      scope: settings.scope.filter((scope) => scope !== 'openid'),
    },
    async onSuccess(event, { tokens }) {
      const secure = secureSessionFromTokens(tokens);
      let me: MeResponse;
      try {
        me = await $fetch<MeResponse>('/me', {
          baseURL: platformApiBaseUrl(event),
          headers: { authorization: `Bearer ${secure.accessToken}`, accept: 'application/json', [REQUEST_ID_HEADER]: requestId(event) },
          retry: 0,
          timeout: 15_000,
        });
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        logApiCallFailure(event, { method: 'GET', path: '/me', status, error: status === undefined ? (error instanceof Error ? error.message : String(error)) : undefined }, 'GET /me after sign-in failed');
        return failed(event, status === 401 || status === 403 ? 'api_rejected' : 'api_unavailable');
      }
      const { id, email, name, platformAdmin } = me.profile;
      // A new session (a new id) for every sign-in: a session the browser held before, which
      // someone else may have set or copied, ends here.
      await clearUserSession(event);
      forgetRequestSession(event);
      await replaceUserSession(event, { user: { id, email, name, platformAdmin }, secure, loggedInAt: Date.now() });
      const returnTo = safeReturnPath(getCookie(event, RETURN_COOKIE), appOrigin(event));
      deleteCookie(event, RETURN_COOKIE, { path: '/' });
      return sendRedirect(event, returnTo);
    },
    onError(event, error) {
      const denied = getQuery(event).error === 'access_denied';
      console.warn(`[auth] sign-in failed: ${error.message}`);
      return failed(event, denied ? 'access_denied' : 'signin_failed');
    },
  });
  return handler(event);
}

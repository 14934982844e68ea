// Refuses to start a production server without a session password, and warns when the OIDC
// client is not configured (sign-in would fail).
export default defineNitroPlugin(() => {
  if (import.meta.dev) return;
  const config = useRuntimeConfig();
  const password = process.env.NUXT_SESSION_PASSWORD || config.session.password;
  if (!password || password.length < 32) {
    throw new Error('NUXT_SESSION_PASSWORD must be set to a secret of at least 32 characters');
  }
  const { oidc } = config.oauth;
  const missing = [
    ['NUXT_OAUTH_OIDC_CLIENT_ID', oidc.clientId],
    ['NUXT_OAUTH_OIDC_CLIENT_SECRET', oidc.clientSecret],
    ['NUXT_OAUTH_OIDC_OPENID_CONFIG', oidc.openidConfig],
  ].filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) console.warn(`[auth] ${missing.join(', ')} not set: sign-in will fail`);
});

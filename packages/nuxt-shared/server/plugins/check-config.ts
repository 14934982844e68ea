// Refuses to start a production server without a session password, or with a secret that is
// still the sample value of .env.example, and warns when the OIDC client is not configured (sign-in
// would fail).
//
// Production is APP_ENV=production, or APP_ENV unset: this plugin only runs in a built server (whose
// image sets NODE_ENV=production for staging as much as for production), so a server that is not
// told otherwise is held to production's rules. APP_ENV=staging, test or development lets the
// samples through.
import { isSampleSecret } from '@dezky/contracts';

export default defineNitroPlugin(() => {
  if (import.meta.dev) return;
  const config = useRuntimeConfig();
  const password = process.env.NUXT_SESSION_PASSWORD || config.session.password;
  if (!password || password.length < 32) {
    throw new Error('NUXT_SESSION_PASSWORD must be set to a secret of at least 32 characters');
  }
  const { oidc } = config.oauth;
  if ((process.env.APP_ENV ?? 'production') === 'production') {
    const sample = [
      ['NUXT_SESSION_PASSWORD', password],
      ['NUXT_OAUTH_OIDC_CLIENT_SECRET', oidc.clientSecret],
    ].find(([, value]) => isSampleSecret(value));
    if (sample) {
      throw new Error(`${sample[0]} is the sample value of .env.example, which anyone can read: set a secret of your own (APP_ENV=production)`);
    }
  }
  const missing = [
    ['NUXT_OAUTH_OIDC_CLIENT_ID', oidc.clientId],
    ['NUXT_OAUTH_OIDC_CLIENT_SECRET', oidc.clientSecret],
    ['NUXT_OAUTH_OIDC_OPENID_CONFIG', oidc.openidConfig],
  ].filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) console.warn(`[auth] ${missing.join(', ')} not set: sign-in will fail`);
});

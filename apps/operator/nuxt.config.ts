// Dev defaults point at the dev IdP (scripts/dev.sh); production sets NUXT_OAUTH_OIDC_* and
// NUXT_SESSION_PASSWORD (see packages/nuxt-shared/nuxt.config.ts).
const production = process.env.NODE_ENV === 'production';

export default defineNuxtConfig({
  extends: ['@dezky/nuxt-shared'],

  runtimeConfig: {
    // Own cookie name: both apps share the host 127.0.0.1 in development, and cookies ignore ports.
    session: { name: 'nuxt-session-operator' },
    oauth: {
      oidc: {
        clientId: 'dezky-operator',
        clientSecret: production ? '' : 'dev-secret-operator',
        openidConfig: production ? '' : 'http://127.0.0.1:9000/application/o/dezky-operator/.well-known/openid-configuration',
        // Empty: `<origin>/auth/oidc/callback`, i.e. http://127.0.0.1:3100/auth/oidc/callback in development.
        redirectURL: '',
      },
    },
    public: {
      appName: 'Dezky Operator',
    },
  },

  devServer: {
    host: '127.0.0.1',
    port: 3100,
  },
});

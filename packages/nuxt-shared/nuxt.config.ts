// Base Nuxt config shared by the Dezky apps (`extends: ['@dezky/nuxt-shared']`).
// Everything here must build and run with no network except the npm registry at install time:
// no web fonts, no Iconify API, no telemetry.
import { fileURLToPath } from 'node:url';

// `nuxt dev` (and typecheck) run with NODE_ENV unset or "development"; `nuxt build` with "production".
// Development-only defaults (session password, the dev IdP's public client secrets) are
// never baked into a production build: there they must come from the environment.
const production = process.env.NODE_ENV === 'production';

export default defineNuxtConfig({
  // nuxt-auth-utils: sealed cookie sessions (`nuxt-session`) and the generic OIDC handler.
  // nuxt-security: the pages' security headers (CSP with a nonce per response, HSTS, ...).
  modules: ['@nuxt/ui', 'nuxt-auth-utils', 'nuxt-security'],

  security: {
    nonce: true,
    headers: {
      contentSecurityPolicy: {
        'default-src': ["'self'"],
        'base-uri': ["'none'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        // Scripts only with this response's nonce (and what they load: 'strict-dynamic').
        'script-src': ["'self'", "'strict-dynamic'", "'nonce-{{nonce}}'"],
        'script-src-attr': ["'none'"],
        // Vue and Nuxt UI set style attributes and inject theme <style> elements.
        'style-src': ["'self'", "'unsafe-inline'"],
        // The apps may be served over plain HTTP (development, docker-compose on *.localhost):
        // HSTS below moves browsers to HTTPS where the apps have it.
        'upgrade-insecure-requests': false,
      },
      // Browsers only heed it over HTTPS; a development server must not pin localhost to HTTPS.
      strictTransportSecurity: production ? { maxAge: 31536000, includeSubdomains: true } : false,
      xFrameOptions: 'DENY',
      // Full URLs (tenant slugs, search terms) stay within the app; a same-origin form still
      // carries its Origin (which a no-referrer policy would turn into "null").
      referrerPolicy: 'same-origin',
    },
    // Kept by server/middleware/3.body-limit.ts instead: this one checks POST, PUT and DELETE only
    // and trusts the declared length.
    requestSizeLimiter: false,
    // Per-process and in memory: rate limits belong to the proxy in front of the replicas.
    rateLimiter: false,
    // Reads every body before the session is checked, and refuses text that Vue escapes anyway.
    xssValidator: false,
    // The apps answer their own pages only: no cross-origin reads, so no CORS headers at all.
    corsHandler: false,
    allowedMethodsRestricter: false,
    // The servers' logs are wanted in production.
    removeLoggers: false,
  },

  compatibilityDate: '2026-11-01',
  telemetry: false,
  devtools: { enabled: false },

  // Path is absolute so it resolves the same whichever app extends this layer.
  css: [fileURLToPath(new URL('./app/assets/css/main.css', import.meta.url))],

  ui: {
    // Nuxt UI would otherwise install @nuxt/fonts, which downloads fonts from Google/Bunny at build time.
    fonts: false,
  },

  icon: {
    // Icons come from the locally installed @iconify-json/* packages, never from api.iconify.design.
    serverBundle: { collections: ['lucide'] },
    clientBundle: {
      // Bundle the icons found in source, plus the ones Nuxt UI components use internally.
      scan: true,
      icons: [
        'lucide:sun',
        'lucide:moon',
        'lucide:menu',
        'lucide:x',
        'lucide:check',
        'lucide:chevron-down',
        'lucide:chevron-right',
        'lucide:chevron-left',
        'lucide:loader-circle',
        'lucide:info',
        'lucide:circle-alert',
        'lucide:circle-check',
        'lucide:triangle-alert',
        'lucide:arrow-right',
        'lucide:external-link',
        'lucide:log-in',
        'lucide:log-out',
        'lucide:user',
      ],
      sizeLimitKb: 256,
    },
    fallbackToApi: false,
  },

  runtimeConfig: {
    // Server-only. Overridden at run time by NUXT_PLATFORM_API_URL.
    platformApiUrl: 'http://127.0.0.1:3001',
    // Largest request body in bytes (NUXT_BODY_LIMIT), larger ones are answered 413: the same as
    // the platform API's default, which the bodies are sent on to.
    bodyLimit: 100 * 1024,
    // Where signed-out sessions are recorded (NUXT_SESSION_STORE_DIR, relative to the working
    // directory): every replica of an app must share it (server/utils/signed-out-sessions.ts).
    sessionStore: { dir: '.data/signed-out-sessions' },
    // Sealed session cookie (iron). NUXT_SESSION_PASSWORD, at least 32 characters, is required in
    // production (server/plugins/check-config.ts refuses to start without it).
    session: {
      name: 'nuxt-session',
      password: production ? '' : 'dev-only-session-password-not-for-production-0123456789',
      cookie: { sameSite: 'lax' },
      // Idle sessions end after 12 hours; the access token itself is refreshed while active.
      maxAge: 60 * 60 * 12,
    },
    // Generic OpenID Connect client (server/routes/auth/oidc.get.ts), overridden at run time by
    // NUXT_OAUTH_OIDC_CLIENT_ID, _CLIENT_SECRET, _OPENID_CONFIG, _REDIRECT_URL, _SCOPE,
    // _POST_LOGOUT_REDIRECT_URL. Each app sets its dev IdP defaults.
    oauth: {
      oidc: {
        clientId: '',
        clientSecret: '',
        openidConfig: '',
        redirectURL: '',
        // Space-separated; `openid` is always requested.
        scope: 'openid email profile offline_access',
        // Where the IdP sends the browser after sign-out; defaults to the app's origin + "/".
        postLogoutRedirectURL: '',
      },
    },
    public: {
      // Overridden per app (and at run time by NUXT_PUBLIC_APP_NAME).
      appName: 'Dezky',
    },
  },

  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    },
  },
});

// What each Dezky app's nuxt.config.ts sets beyond this layer: its OIDC client at the dev IdP,
// its session cookie, its name and its development port. Dev defaults point at the dev IdP
// (scripts/dev.sh); production sets NUXT_OAUTH_OIDC_* and NUXT_SESSION_PASSWORD (see
// nuxt.config.ts of this layer).
import type { NuxtConfig } from 'nuxt/schema';

export interface DezkyApp {
  /** The application at the IdP: client id `dezky-<key>`. */
  key: 'operator' | 'portal';
  /** Shown in titles; NUXT_PUBLIC_APP_NAME at run time. */
  name: string;
  /** `nuxt dev` listens on 127.0.0.1 at this port; `<origin>/auth/oidc/callback` is its redirect URI. */
  port: number;
}

export function dezkyApp({ key, name, port }: DezkyApp): NuxtConfig {
  const production = process.env.NODE_ENV === 'production';
  return {
    extends: ['@dezky/nuxt-shared'],

    runtimeConfig: {
      // Own cookie name: both apps share the host 127.0.0.1 in development, and cookies ignore ports.
      session: { name: `nuxt-session-${key}` },
      oauth: {
        oidc: {
          clientId: `dezky-${key}`,
          clientSecret: production ? '' : `dev-secret-${key}`,
          openidConfig: production ? '' : `http://127.0.0.1:9000/application/o/dezky-${key}/.well-known/openid-configuration`,
          // Empty: `<origin>/auth/oidc/callback`, e.g. http://127.0.0.1:<port>/auth/oidc/callback in development.
          redirectURL: '',
        },
      },
      public: {
        appName: name,
      },
    },

    devServer: {
      host: '127.0.0.1',
      port,
    },
  };
}

// The start-up check of a built app's configuration (server/plugins/check-config.ts), run as Nitro
// runs it: the plugin function, with the runtime configuration the environment gives it.
import { SAMPLE_SECRETS } from '@dezky/contracts';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

let runtimeConfig: { session: { password: string }; oauth: { oidc: { clientId: string; clientSecret: string; openidConfig: string } } };
let plugin: () => void;

beforeAll(async () => {
  Object.assign(globalThis, { defineNitroPlugin: (fn: () => void) => fn, useRuntimeConfig: () => runtimeConfig });
  plugin = (await import('../server/plugins/check-config')).default as unknown as () => void;
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const samplePassword = SAMPLE_SECRETS.find((s) => s.startsWith('sample-operator-session-password'))!;
const sampleClientSecret = SAMPLE_SECRETS.find((s) => s.startsWith('sample-operator-oidc-client-secret'))!;
const ownPassword = 'a-session-password-of-our-own-0123456789';

function configure({ password = ownPassword, clientSecret = 'a-client-secret-of-our-own', appEnv }: { password?: string; clientSecret?: string; appEnv?: string }) {
  vi.stubEnv('NUXT_SESSION_PASSWORD', password);
  if (appEnv === undefined) delete process.env.APP_ENV;
  else vi.stubEnv('APP_ENV', appEnv);
  runtimeConfig = {
    session: { password },
    oauth: { oidc: { clientId: 'dezky-operator', clientSecret, openidConfig: 'http://auth.localhost/application/o/dezky-operator/.well-known/openid-configuration' } },
  };
}

describe('check-config', () => {
  it('starts with secrets of its own in production', () => {
    configure({ appEnv: 'production' });
    expect(() => plugin()).not.toThrow();
  });

  it.each([
    ['NUXT_SESSION_PASSWORD', { password: samplePassword }],
    ['NUXT_OAUTH_OIDC_CLIENT_SECRET', { clientSecret: sampleClientSecret }],
  ])('refuses %s set to a sample of .env.example with APP_ENV=production', (name, secrets) => {
    configure({ ...secrets, appEnv: 'production' });
    expect(() => plugin()).toThrow(new RegExp(`^${name} is the sample value of \\.env\\.example`));
  });

  it('holds a server without APP_ENV to production', () => {
    configure({ password: samplePassword });
    expect(() => plugin()).toThrow(/^NUXT_SESSION_PASSWORD is the sample value/);
  });

  it('lets the samples through where APP_ENV says the server is not production', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const appEnv of ['staging', 'test', 'development']) {
      configure({ password: samplePassword, clientSecret: sampleClientSecret, appEnv });
      expect(() => plugin()).not.toThrow();
    }
  });

  it('still refuses a session password shorter than 32 characters', () => {
    configure({ password: 'short', appEnv: 'staging' });
    expect(() => plugin()).toThrow('NUXT_SESSION_PASSWORD must be set to a secret of at least 32 characters');
  });
});

// The built Nuxt apps as the stack runs them: their environment, and more replicas of one app for
// tests that need two processes behind one origin (sharing its session password and its store
// of signed-out sessions, as replicas in a deployment do).
import path from 'node:path';
import { freePort, startProcess, waitUntilReady, type StackProcess } from '@dezky/test-stack';
import { ROOT } from './paths.js';

export const APPS = ['operator', 'portal'] as const;
export type AppName = (typeof APPS)[number];

export interface AppSettings {
  port: number;
  /** The app's public origin: the IdP sends the browser back there. */
  publicUrl: string;
  apiUrl: string;
  issuer: string;
  sessionPassword: string;
  sessionStoreDir: string;
}

export function appServer(app: AppName): string {
  return path.join(ROOT, `apps/${app}/.output/server/index.mjs`);
}

/** The environment of one app process: only what it needs, nothing of the test runner's. */
export function appEnv(app: AppName, settings: AppSettings): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    NODE_ENV: 'production',
    PORT: String(settings.port),
    HOST: '127.0.0.1',
    NUXT_PLATFORM_API_URL: settings.apiUrl,
    NUXT_OAUTH_OIDC_OPENID_CONFIG: `${settings.issuer}.well-known/openid-configuration`,
    NUXT_OAUTH_OIDC_CLIENT_ID: `dezky-${app}`,
    NUXT_OAUTH_OIDC_CLIENT_SECRET: `dev-secret-${app}`,
    NUXT_OAUTH_OIDC_REDIRECT_URL: `${settings.publicUrl}/auth/oidc/callback`,
    NUXT_SESSION_PASSWORD: settings.sessionPassword,
    NUXT_SESSION_STORE_DIR: settings.sessionStoreDir,
  };
}

export function startApp(name: string, app: AppName, settings: AppSettings, logDir: string): StackProcess {
  return startProcess(name, process.execPath, [appServer(app)], {
    cwd: path.join(ROOT, `apps/${app}`),
    env: appEnv(app, settings),
    logFile: path.join(logDir, `${name}.log`),
  });
}

/**
 * Another process of `app`, on its own port, configured like the stack's one: same public origin,
 * session password and session store. Ready when it returns.
 */
export async function startReplica(
  app: AppName,
  base: Omit<AppSettings, 'port'>,
  logDir: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const service = startApp(`${app}-replica-${port}`, app, { ...base, port }, logDir);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(service, { url: `${url}/api/health` });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return { url, stop: () => service.stop() };
}

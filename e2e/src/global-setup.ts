// Starts the real platform for the browser tests, bound to 127.0.0.1 on free ports: a
// MongoDB-wire server, the dev IdP, a DNS server for domain verification, platform-api and both
// built Nuxt apps, plus one headless Chromium. Everything is stopped when the run ends (or when
// starting fails).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_USERS, type DevIdpHandle, type DevIdpUser } from '@dezky/dev-idp';
import {
  chromiumLaunchOptions,
  freePort,
  issuerEnv,
  startApi,
  startDnsServer,
  startIdp,
  startMongoWire,
  waitUntilReady,
  type Api,
  type DnsServer,
  type MongoWire,
  type StackProcess,
} from '@dezky/test-stack';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { APPS, startApp } from './apps.js';
import { ROOT, SCREENSHOTS } from './paths.js';
import type { StackInfo } from './stack.js';

/** Besides the dev IdP's default users, a second platform administrator: USERS.reviewer of browser.ts, who reviews change requests. */
const REVIEWER: DevIdpUser = { sub: 'user-rita', email: 'rita@dezky.test', password: 'rita-password', name: 'Rita Reviewer' };

const HOST = '127.0.0.1';
/** Short-lived access tokens: every API call a few seconds after sign-in refreshes them. */
const ACCESS_TOKEN_TTL_SECONDS = 62;

function requireBuilt(file: string, what: string): string {
  const full = path.join(ROOT, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: build ${what} first (pnpm turbo run build --filter @dezky/e2e...)`);
  return full;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const logDir = path.join(ROOT, 'e2e/logs');
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  await mkdir(SCREENSHOTS, { recursive: true });

  requireBuilt('services/platform-api/dist/main.js', '@dezky/platform-api');
  for (const app of APPS) requireBuilt(`apps/${app}/.output/server/index.mjs`, `@dezky/${app}`);
  const browserOptions = chromiumLaunchOptions();

  let mongo: MongoWire | undefined;
  let idp: DevIdpHandle | undefined;
  let api: Api | undefined;
  let browser: BrowserServer | undefined;
  let dns: DnsServer | undefined;
  const apps: StackProcess[] = [];
  // Each app's store of signed-out sessions (NUXT_SESSION_STORE_DIR), fresh for the run.
  const sessionStore = await mkdtemp(path.join(tmpdir(), 'dezky-e2e-sessions-'));

  const teardown = async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all([...apps.map((app) => app.stop()), api?.stop()]);
    await idp?.close().catch(() => undefined);
    await dns?.stop();
    await mongo?.stop();
    await rm(sessionStore, { recursive: true, force: true });
  };

  try {
    // The apps' redirect URIs must be registered at the IdP before it starts: pick their ports first.
    const [apiPort, operatorPort, portalPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const appUrls = { operator: `http://${HOST}:${operatorPort}`, portal: `http://${HOST}:${portalPort}` };
    const apiUrl = `http://${HOST}:${apiPort}`;
    const dnsZoneFile = path.join(logDir, 'dns-zone.json');
    dns = await startDnsServer({ zoneFile: dnsZoneFile });

    const [mongoStarted, idpStarted, browserStarted] = await Promise.allSettled([
      startMongoWire({ logFile: path.join(logDir, 'mongo-wire.log') }),
      startIdp({
        host: HOST,
        accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
        clients: {
          operator: { redirectUris: [`${appUrls.operator}/auth/oidc/callback`] },
          portal: { redirectUris: [`${appUrls.portal}/auth/oidc/callback`] },
        },
        users: [...DEFAULT_USERS, REVIEWER],
        env: { ...process.env, NODE_ENV: 'test' },
        onServerError: (error) => console.error('[dev-idp]', error),
      }),
      chromium.launchServer(browserOptions),
    ]);
    if (mongoStarted.status === 'fulfilled') mongo = mongoStarted.value;
    if (idpStarted.status === 'fulfilled') idp = idpStarted.value;
    if (browserStarted.status === 'fulfilled') browser = browserStarted.value;
    for (const result of [mongoStarted, idpStarted, browserStarted]) {
      if (result.status === 'rejected') throw result.reason;
    }
    if (!mongo || !idp || !browser) throw new Error('unreachable');
    const issuers = idp.issuers;

    const mongoUrl = `${mongo.url.replace(/\/+$/, '')}/dezky-e2e`;
    const apiStarted = startApi({
      port: apiPort,
      logFile: path.join(logDir, 'api.log'),
      env: {
        TZ: 'UTC',
        NODE_ENV: 'production',
        MONGO_URL: mongoUrl,
        APP_ENV: 'test',
        ...issuerEnv(idp),
        PLATFORM_ADMIN_EMAILS: `admin@dezky.test,${REVIEWER.email}`,
        DNS_RESOLVER: dns.address,
        // The webhook tests' receiver listens on 127.0.0.1, over http.
        WEBHOOKS_ALLOW_LOOPBACK: 'true',
        LOG_LEVEL: 'warn',
        // Every browser test's request comes from one address and a few users: budgets out of reach.
        RATE_LIMIT_PER_IP: '100000000/10s',
        RATE_LIMIT_PER_SUBJECT: '100000000/10s',
        RATE_LIMIT_EVALUATION: '100000000/10s',
      },
    });

    const sessionPasswords = { operator: randomBytes(32).toString('hex'), portal: randomBytes(32).toString('hex') };
    const sessionStoreDirs = { operator: path.join(sessionStore, 'operator'), portal: path.join(sessionStore, 'portal') };
    const appsReady = APPS.map((app) => {
      const service = startApp(
        app,
        app,
        {
          port: app === 'operator' ? operatorPort : portalPort,
          publicUrl: appUrls[app],
          apiUrl,
          issuer: issuers[app],
          sessionPassword: sessionPasswords[app],
          sessionStoreDir: sessionStoreDirs[app],
        },
        logDir,
      );
      apps.push(service);
      return waitUntilReady(service, { url: `${appUrls[app]}/api/health` });
    });

    const [apiReady, ...appsStarted] = await Promise.allSettled([apiStarted, ...appsReady]);
    if (apiReady.status === 'fulfilled') api = apiReady.value;
    for (const result of [apiReady, ...appsStarted]) {
      if (result.status === 'rejected') throw result.reason;
    }

    const stack: StackInfo = {
      operatorUrl: appUrls.operator,
      portalUrl: appUrls.portal,
      apiUrl,
      idpBaseUrl: idp.baseUrl,
      browserWsEndpoint: browser.wsEndpoint(),
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      issuers: { operator: issuers.operator, portal: issuers.portal },
      sessionPasswords,
      sessionStoreDirs,
      logDir,
      dnsZoneFile,
      mongoUrl,
    };
    project.provide('stack', stack);
    console.log(`[e2e] stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in ${path.relative(ROOT, logDir)}/)`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

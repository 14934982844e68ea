// Starts the platform's processes, waits for each to be ready, prints the URLs and stops
// them all on Ctrl-C or SIGTERM (@dezky/test-stack stops what it started, then exits).
// Ports can be changed through the variables below, the data folder through DEV_DATA_DIR.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { issuerEnv, startApi, startIdp, startMongoWire, startProcess, stopAll, waitUntilReady } from '@dezky/test-stack';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const MONGO_PORT = env.DEV_MONGO_PORT ?? '27017';
const IDP_PORT = env.DEV_IDP_PORT ?? '9000';
const API_PORT = env.PORT ?? '3001';
const OPERATOR_PORT = env.OPERATOR_PORT ?? '3100';
const PORTAL_PORT = env.PORTAL_PORT ?? '3200';
const HOST = '127.0.0.1';
// Where the MongoDB-wire server keeps its data file.
const DATA_DIR = path.resolve(ROOT, env.DEV_DATA_DIR ?? '.data');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
  });
}

function stop(code) {
  stopping = true;
  void stopAll().finally(() => process.exit(code));
}

/** Stops the platform when one of its processes exits on its own. */
function watch(started) {
  started.child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[${started.name}] exited with ${code ?? signal}; stopping the platform`);
    stop(1);
  });
  return started;
}

const prefix = (name) => `[${name}]`.padEnd(12);

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const h2File = path.join(DATA_DIR, 'dev-mongo.mv');
  const mongo = await startMongoWire({ port: Number(MONGO_PORT), h2File, echo: prefix('mongo') });
  watch(mongo.process);
  const urls = [[`MongoDB-wire server`, `mongodb://${HOST}:${MONGO_PORT}/dezky (data in ${path.relative(ROOT, h2File) || h2File})`]];

  const redirectUris = (port) => [`http://${HOST}:${port}/auth/oidc/callback`, `http://localhost:${port}/auth/oidc/callback`];
  const idp = await startIdp({
    port: Number(IDP_PORT),
    host: HOST,
    clients: { operator: { redirectUris: redirectUris(OPERATOR_PORT) }, portal: { redirectUris: redirectUris(PORTAL_PORT) } },
    // The provider's production guard reads this process's NODE_ENV.
    env,
  });
  urls.push(['Dev OpenID provider', `${idp.issuers.operator} and ${idp.issuers.portal}`]);

  const appEnv = env.APP_ENV ?? 'development';
  const api = await startApi({
    port: Number(API_PORT),
    echo: prefix('api'),
    env: {
      ...env,
      HOST,
      MONGO_URL: `mongodb://${HOST}:${MONGO_PORT}/dezky`,
      APP_ENV: appEnv,
      AUTHENTIK_ISSUERS: env.AUTHENTIK_ISSUERS ?? issuerEnv(idp).AUTHENTIK_ISSUERS,
      PLATFORM_ADMIN_EMAILS: env.PLATFORM_ADMIN_EMAILS ?? 'admin@dezky.test',
      // Prometheus metrics as deployed: GET http://127.0.0.1:9464/metrics.
      METRICS_PORT: env.METRICS_PORT ?? '9464',
      // The API seeds demo data in development only, and refuses it in any other APP_ENV.
      SEED_DEMO_DATA: env.SEED_DEMO_DATA ?? (appEnv === 'development' ? 'true' : 'false'),
    },
  });
  watch(api.process);
  urls.push(['Platform API', `${api.url} (docs: /docs, health: /health)`]);

  for (const [app, port] of [
    ['operator', OPERATOR_PORT],
    ['portal', PORTAL_PORT],
  ]) {
    const server = path.join(ROOT, `apps/${app}/.output/server/index.mjs`);
    if (!existsSync(server)) continue;
    const issuer = idp.issuers[app];
    const started = startProcess(app, process.execPath, [server], {
      cwd: ROOT,
      echo: prefix(app),
      env: {
        ...env,
        PORT: port,
        HOST,
        NUXT_PLATFORM_API_URL: api.url,
        NUXT_OAUTH_OIDC_OPENID_CONFIG: `${issuer}.well-known/openid-configuration`,
        NUXT_OAUTH_OIDC_CLIENT_ID: `dezky-${app}`,
        NUXT_OAUTH_OIDC_CLIENT_SECRET: `dev-secret-${app}`,
        NUXT_OAUTH_OIDC_REDIRECT_URL: `http://${HOST}:${port}/auth/oidc/callback`,
        NUXT_SESSION_PASSWORD: env[`${app.toUpperCase()}_SESSION_PASSWORD`] ?? `dev-only-${app}-session-password-0123456789`,
      },
    });
    watch(started);
    await waitUntilReady(started, { url: `http://${HOST}:${port}/` }, 90_000);
    urls.push([`${app[0].toUpperCase()}${app.slice(1)} app`, `http://${HOST}:${port}`]);
  }

  console.log('\nDezky platform is running:');
  for (const [name, url] of urls) console.log(`  ${name.padEnd(22)} ${url}`);
  console.log('\nSign in as admin@dezky.test / admin-password (operator), alice@customer.test / alice-password (portal).');
  console.log('Ctrl-C stops everything.\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  stop(1);
});

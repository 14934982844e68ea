// Starts the platform's processes, waits for each to be ready, prints the URLs and stops
// them all on Ctrl-C or SIGTERM. Ports can be changed through the variables below.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const MONGO_PORT = env.DEV_MONGO_PORT ?? '27017';
const IDP_PORT = env.DEV_IDP_PORT ?? '9000';
const API_PORT = env.PORT ?? '3001';
const OPERATOR_PORT = env.OPERATOR_PORT ?? '3100';
const PORTAL_PORT = env.PORTAL_PORT ?? '3200';
const HOST = '127.0.0.1';
const IDP_BASE = `http://${HOST}:${IDP_PORT}`;
const ISSUERS = {
  operator: `${IDP_BASE}/application/o/dezky-operator/`,
  portal: `${IDP_BASE}/application/o/dezky-portal/`,
};

const children = [];
let stopping = false;

function start(name, command, args, options) {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options, env: { ...env, ...options.env } });
  const prefix = `[${name}]`.padEnd(12);
  const forward = (stream, out) => {
    let buf = '';
    stream.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix} ${line}\n`);
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${prefix} exited with ${code}; stopping the platform`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHttp(name, url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

function waitForLine(child, pattern, name, timeoutMs = 90_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), timeoutMs);
    child.stdout.on('data', (d) => {
      if (pattern.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function stop(code = 0) {
  stopping = true;
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  mkdirSync(path.join(ROOT, '.data'), { recursive: true });
  const mongo = start('mongo', 'java', ['-cp', 'lib/*', 'Launcher.java', MONGO_PORT, path.join(ROOT, '.data/dev-mongo.mv')], {
    cwd: path.join(ROOT, 'tools/mongo-wire'),
  });
  await waitForLine(mongo, /mongo-wire ready/, 'mongo');
  const urls = [[`MongoDB-wire server`, `mongodb://${HOST}:${MONGO_PORT}/dezky (data in .data/dev-mongo.mv)`]];

  const idpMain = path.join(ROOT, 'services/dev-idp/dist/main.js');
  const hasIdp = existsSync(idpMain);
  if (hasIdp) {
    start('dev-idp', process.execPath, [idpMain], {
      env: {
        DEV_IDP_PORT: IDP_PORT,
        DEV_IDP_OPERATOR_REDIRECT_URIS: `http://${HOST}:${OPERATOR_PORT}/auth/oidc/callback,http://localhost:${OPERATOR_PORT}/auth/oidc/callback`,
        DEV_IDP_PORTAL_REDIRECT_URIS: `http://${HOST}:${PORTAL_PORT}/auth/oidc/callback,http://localhost:${PORTAL_PORT}/auth/oidc/callback`,
      },
    });
    await waitForHttp('dev-idp', `${ISSUERS.operator}.well-known/openid-configuration`);
    urls.push(['Dev OpenID provider', `${ISSUERS.operator} and ${ISSUERS.portal}`]);
  }

  start('api', process.execPath, ['--max-semi-space-size=8', path.join(ROOT, 'services/platform-api/dist/main.js')], {
    env: {
      PORT: API_PORT,
      HOST,
      MONGO_URL: `mongodb://${HOST}:${MONGO_PORT}/dezky`,
      APP_ENV: env.APP_ENV ?? 'development',
      AUTHENTIK_ISSUERS: env.AUTHENTIK_ISSUERS ?? `${ISSUERS.operator},${ISSUERS.portal}`,
      PLATFORM_ADMIN_EMAILS: env.PLATFORM_ADMIN_EMAILS ?? 'admin@dezky.test',
      // The API seeds demo data in development only, and refuses it in any other APP_ENV.
      SEED_DEMO_DATA: env.SEED_DEMO_DATA ?? ((env.APP_ENV ?? 'development') === 'development' ? 'true' : 'false'),
    },
  });
  await waitForHttp('api', `http://${HOST}:${API_PORT}/health`);
  urls.push(['Platform API', `http://${HOST}:${API_PORT} (docs: /docs, health: /health)`]);

  for (const [app, port, issuer] of [
    ['operator', OPERATOR_PORT, ISSUERS.operator],
    ['portal', PORTAL_PORT, ISSUERS.portal],
  ]) {
    const server = path.join(ROOT, `apps/${app}/.output/server/index.mjs`);
    if (!existsSync(server)) continue;
    start(app, process.execPath, [server], {
      env: {
        PORT: port,
        HOST,
        NUXT_PLATFORM_API_URL: `http://${HOST}:${API_PORT}`,
        NUXT_OAUTH_OIDC_OPENID_CONFIG: `${issuer}.well-known/openid-configuration`,
        NUXT_OAUTH_OIDC_CLIENT_ID: `dezky-${app}`,
        NUXT_OAUTH_OIDC_CLIENT_SECRET: `dev-secret-${app}`,
        NUXT_OAUTH_OIDC_REDIRECT_URL: `http://${HOST}:${port}/auth/oidc/callback`,
        NUXT_SESSION_PASSWORD: env[`${app.toUpperCase()}_SESSION_PASSWORD`] ?? `dev-only-${app}-session-password-0123456789`,
      },
    });
    await waitForHttp(app, `http://${HOST}:${port}/`);
    urls.push([`${app[0].toUpperCase()}${app.slice(1)} app`, `http://${HOST}:${port}`]);
  }

  console.log('\nDezky platform is running:');
  for (const [name, url] of urls) console.log(`  ${name.padEnd(22)} ${url}`);
  if (hasIdp) {
    console.log('\nSign in as admin@dezky.test / admin-password (operator), alice@customer.test / alice-password (portal).');
  }
  console.log('Ctrl-C stops everything.\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  stop(1);
});

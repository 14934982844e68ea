#!/usr/bin/env node
/**
 * CLI: `node dist/main.js` — starts the dev IdP on 127.0.0.1.
 *
 * Environment: DEV_IDP_PORT (default 9000), DEV_IDP_HOST (default 127.0.0.1),
 * DEV_IDP_ISSUER_BASE_URL (default http://<host>:<port>),
 * DEV_IDP_OPERATOR_REDIRECT_URIS / DEV_IDP_PORTAL_REDIRECT_URIS (comma-separated),
 * DEV_IDP_OPERATOR_CLIENT_SECRET / DEV_IDP_PORTAL_CLIENT_SECRET,
 * DEV_IDP_ACCESS_TOKEN_TTL_SECONDS (default 3600).
 */
import { APP_KEYS, assertNotProduction, DEFAULT_PORT, type DevIdpClientOptions, type DevIdpAppKey } from './config.js';
import { startDevIdp } from './server.js';

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const env = process.env;
  assertNotProduction(env);

  const clients: Partial<Record<DevIdpAppKey, DevIdpClientOptions>> = {};
  for (const key of APP_KEYS) {
    const prefix = `DEV_IDP_${key.toUpperCase()}`;
    const redirectUris = list(env[`${prefix}_REDIRECT_URIS`]);
    const clientSecret = env[`${prefix}_CLIENT_SECRET`]?.trim() || undefined;
    clients[key] = { ...(redirectUris ? { redirectUris } : {}), ...(clientSecret ? { clientSecret } : {}) };
  }
  const accessTokenTtlSeconds = integer(env.DEV_IDP_ACCESS_TOKEN_TTL_SECONDS, 'DEV_IDP_ACCESS_TOKEN_TTL_SECONDS');

  const idp = await startDevIdp({
    port: integer(env.DEV_IDP_PORT, 'DEV_IDP_PORT') ?? DEFAULT_PORT,
    host: env.DEV_IDP_HOST?.trim() || '127.0.0.1',
    ...(env.DEV_IDP_ISSUER_BASE_URL?.trim() ? { issuerBaseUrl: env.DEV_IDP_ISSUER_BASE_URL.trim() } : {}),
    ...(accessTokenTtlSeconds ? { accessTokenTtlSeconds } : {}),
    clients,
  });

  console.log(`dev-idp listening on ${idp.baseUrl} (development/test only)`);
  console.log(`operator issuer: ${idp.issuers.operator}`);
  console.log(`portal issuer:   ${idp.issuers.portal}`);
  console.log(`users: ${idp.users.map((user) => user.email).join(', ')}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`dev-idp: ${signal} received, closing`);
    idp.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('dev-idp: error while closing', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

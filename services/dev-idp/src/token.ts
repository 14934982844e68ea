#!/usr/bin/env node
/**
 * CLI: prints an access token from a running dev IdP, for
 *   curl -H "Authorization: Bearer $(node services/dev-idp/dist/token.js --app operator \
 *     --user admin@dezky.test --password admin-password)" ...
 *
 * Options: --app operator|portal (required), --user, --password,
 * --issuer-base (default $DEV_IDP_ISSUER_BASE_URL or http://127.0.0.1:$DEV_IDP_PORT|9000),
 * --client-secret (default $DEV_IDP_<APP>_CLIENT_SECRET or the dev default),
 * --scope, --token access|id|refresh (default access), --json (whole token response).
 */
import { parseArgs } from 'node:util';

import { obtainTokens } from './client.js';
import { APP_KEYS, APP_SLUGS, applicationMountPath, CLI_REDIRECT_URI, DEFAULT_CLIENT_SECRETS, DEFAULT_PORT, type DevIdpAppKey } from './config.js';

const USAGE =
  'usage: token.js --app operator|portal --user <email> --password <password> ' +
  '[--issuer-base http://127.0.0.1:9000] [--client-secret <secret>] [--scope "openid email profile"] ' +
  '[--token access|id|refresh] [--json]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'issuer-base': { type: 'string' },
      'client-secret': { type: 'string' },
      scope: { type: 'string' },
      token: { type: 'string', default: 'access' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });

  if (values.help) {
    console.log(USAGE);
    return;
  }
  const app = values.app as DevIdpAppKey | undefined;
  if (!app || !APP_KEYS.includes(app) || !values.user || !values.password) {
    throw new Error(USAGE);
  }
  if (!['access', 'id', 'refresh'].includes(values.token)) throw new Error(USAGE);

  const env = process.env;
  const base = (
    values['issuer-base'] ??
    env.DEV_IDP_ISSUER_BASE_URL ??
    `http://127.0.0.1:${env.DEV_IDP_PORT?.trim() || DEFAULT_PORT}`
  ).replace(/\/+$/, '');
  const clientSecret =
    values['client-secret'] ?? (env[`DEV_IDP_${app.toUpperCase()}_CLIENT_SECRET`]?.trim() || DEFAULT_CLIENT_SECRETS[app]);

  const tokens = await obtainTokens({
    issuer: `${base}${applicationMountPath(app)}/`,
    clientId: APP_SLUGS[app],
    clientSecret,
    redirectUri: CLI_REDIRECT_URI,
    username: values.user,
    password: values.password,
    ...(values.scope ? { scope: values.scope } : {}),
  });

  if (values.json) {
    console.log(JSON.stringify(tokens, null, 2));
    return;
  }
  const token =
    values.token === 'id' ? tokens.id_token : values.token === 'refresh' ? tokens.refresh_token : tokens.access_token;
  if (!token) throw new Error(`no ${values.token} token in the token response`);
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import {
  CLI_REDIRECT_URI,
  DEFAULT_CLIENT_SECRETS,
  obtainTokens,
  startDevIdp,
  type DevIdpAppKey,
  type DevIdpHandle,
  type StartDevIdpOptions,
  type TokenSet,
} from '@dezky/dev-idp';
import { register } from './processes.js';

/**
 * Starts the dev OpenID provider in this process: on 127.0.0.1 and a free port unless told
 * otherwise, with the production guard reading `options.env` (defaults to NODE_ENV=test, since a
 * stack of tests or benchmarks is never production even when it runs the API as one).
 */
export async function startIdp(options: StartDevIdpOptions = {}): Promise<DevIdpHandle> {
  const idp = await startDevIdp({ port: 0, host: '127.0.0.1', env: { NODE_ENV: 'test' }, ...options });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= idp.close());
  register({ stop: close });
  return { ...idp, close };
}

/** The API's variables that trust this provider's two issuers. */
export function issuerEnv(idp: DevIdpHandle): { AUTHENTIK_ISSUERS: string } {
  return { AUTHENTIK_ISSUERS: `${idp.issuers.operator},${idp.issuers.portal}` };
}

/**
 * Signs `email` in to an application through the provider's authorization code + PKCE flow and
 * returns the real tokens. The password is the provider's own for that user unless given.
 */
export async function signIn(idp: DevIdpHandle, app: DevIdpAppKey, email: string, password?: string): Promise<TokenSet> {
  const application = idp.applications[app];
  return obtainTokens({
    issuer: idp.issuers[app],
    clientId: application.clientId,
    clientSecret: application.clientSecret ?? DEFAULT_CLIENT_SECRETS[app],
    redirectUri: CLI_REDIRECT_URI,
    username: email,
    password: password ?? idp.users.find((user) => user.email === email)?.password ?? '',
  });
}

import {
  APP_SLUGS,
  CLI_REDIRECT_URI,
  DEFAULT_CLIENT_SECRETS,
  DEFAULT_USERS,
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
 * A provider to sign in at: one started in this process, or one another process started, known by
 * its issuers (then with the default client ids, secrets and users).
 */
export type IdpIssuers = DevIdpHandle | { issuers: Readonly<Record<DevIdpAppKey, string>> };

/**
 * Signs `email` in to an application through the provider's authorization code + PKCE flow and
 * returns the real tokens. The password is the provider's own for that user unless given.
 */
export async function signIn(idp: IdpIssuers, app: DevIdpAppKey, email: string, password?: string): Promise<TokenSet> {
  const application = 'applications' in idp ? idp.applications[app] : undefined;
  const users = 'users' in idp ? idp.users : DEFAULT_USERS;
  return obtainTokens({
    issuer: idp.issuers[app],
    clientId: application?.clientId ?? APP_SLUGS[app],
    clientSecret: application?.clientSecret ?? DEFAULT_CLIENT_SECRETS[app],
    redirectUri: CLI_REDIRECT_URI,
    username: email,
    password: password ?? users.find((user) => user.email === email)?.password ?? '',
  });
}

/** An access token of `email` for `app`, from `accessTokens`. */
export type AccessTokenSource = (app: DevIdpAppKey, email: string, password?: string) => Promise<string>;

/**
 * Access tokens through `signIn`, one sign-in per application and user, each kept until
 * `marginSeconds` before it expires (at least 5 s): a test never sends one about to lapse, even
 * with the short-lived tokens of the browser tests.
 */
export function accessTokens(idp: IdpIssuers, { marginSeconds = 40 }: { marginSeconds?: number } = {}): AccessTokenSource {
  const cache = new Map<string, { token: Promise<string>; until: number }>();
  return (app, email, password) => {
    const key = `${app}:${email}`;
    const kept = cache.get(key);
    if (kept && kept.until > Date.now()) return kept.token;
    const entry = { until: Number.POSITIVE_INFINITY, token: Promise.resolve('') };
    entry.token = signIn(idp, app, email, password).then(
      (tokens) => {
        entry.until = Date.now() + Math.max(5, tokens.expires_in - marginSeconds) * 1000;
        return tokens.access_token;
      },
      (error: unknown) => {
        cache.delete(key);
        throw error;
      },
    );
    cache.set(key, entry);
    return entry.token;
  };
}

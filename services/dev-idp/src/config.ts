/**
 * Options, defaults and the production guard of the dev IdP.
 *
 * Everything here is development/test data: the passwords and client secrets are
 * public on purpose and must never be reused anywhere real.
 */

/** The two Authentik "applications" the platform uses, keyed by role. */
export type DevIdpAppKey = 'operator' | 'portal';

export const APP_KEYS: readonly DevIdpAppKey[] = ['operator', 'portal'];

/** Authentik application slugs; each is also the client_id of the application's provider. */
export const APP_SLUGS: Readonly<Record<DevIdpAppKey, string>> = {
  operator: 'dezky-operator',
  portal: 'dezky-portal',
};

/** Path of an application's issuer, without the trailing slash (Authentik layout). */
export function applicationMountPath(key: DevIdpAppKey): string {
  return `/application/o/${APP_SLUGS[key]}`;
}

/** Redirect URI registered for every client, used by `obtainTokens` callers such as the token CLI. */
export const CLI_REDIRECT_URI = 'http://127.0.0.1/dev-idp/cli-callback';

export const DEFAULT_PORT = 9000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 60 * 60;

export interface DevIdpUser {
  /** Stable subject identifier (`sub`). */
  sub: string;
  email: string;
  password: string;
  /** Display name (`name` claim). */
  name: string;
  /** Alternative login name; `preferred_username` claim. Defaults to the email. */
  username?: string;
  /** `email_verified` claim; defaults to true. */
  emailVerified?: boolean;
  givenName?: string;
  familyName?: string;
  /** Authentik-style `groups` claim (profile scope); omitted when undefined. */
  groups?: string[];
}

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface DevIdpClientOptions {
  clientSecret?: string;
  /** Redirect URIs; `CLI_REDIRECT_URI` is always added. */
  redirectUris?: string[];
  /** Defaults to the origins (with a trailing slash) of the redirect URIs. */
  postLogoutRedirectUris?: string[];
  /** Defaults to `client_secret_basic`. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** Display name shown on the login page. */
  name?: string;
}

export interface ResolvedClient {
  key: DevIdpAppKey;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  name: string;
}

/** A JSON Web Key Set holding private signing keys (at least one RSA key for RS256). */
export interface PrivateJwks {
  keys: Record<string, unknown>[];
}

export interface StartDevIdpOptions {
  /** TCP port; 0 picks a free port. Defaults to 9000. */
  port?: number;
  /** Listen address. Defaults to 127.0.0.1. */
  host?: string;
  /**
   * Public origin used to build the issuers, e.g. `http://127.0.0.1:9000`.
   * Defaults to `http://<host>:<bound port>`.
   */
  issuerBaseUrl?: string;
  /** Replaces the seeded users when given. */
  users?: DevIdpUser[];
  /** Per-application overrides merged over the defaults. */
  clients?: Partial<Record<DevIdpAppKey, DevIdpClientOptions>>;
  /** Fixed private signing keys per application (a fresh RSA key per issuer is generated otherwise). */
  jwks?: Partial<Record<DevIdpAppKey, PrivateJwks>>;
  /** Access (and ID) token lifetime; defaults to one hour. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; defaults to 14 days. */
  refreshTokenTtlSeconds?: number;
  /** Require PKCE (S256) from the confidential clients too. Defaults to true. */
  requirePkce?: boolean;
  /** Trust X-Forwarded-* headers (Koa `proxy`). Defaults to false. */
  trustProxy?: boolean;
  /** Keys signing the provider's cookies; random per start when omitted. */
  cookieKeys?: string[];
  /** Where to report unexpected server errors; defaults to console.error. */
  onServerError?: (error: unknown) => void;
  /** Environment consulted by the production guard; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_USERS: readonly DevIdpUser[] = [
  {
    sub: 'user-admin',
    email: 'admin@dezky.test',
    password: 'admin-password',
    name: 'Olivia Operator',
    givenName: 'Olivia',
    familyName: 'Operator',
  },
  {
    sub: 'user-alice',
    email: 'alice@customer.test',
    password: 'alice-password',
    name: 'Alice Customer',
    givenName: 'Alice',
    familyName: 'Customer',
  },
  {
    sub: 'user-bob',
    email: 'bob@customer.test',
    password: 'bob-password',
    name: 'Bob Customer',
    givenName: 'Bob',
    familyName: 'Customer',
  },
];

export const DEFAULT_CLIENT_SECRETS: Readonly<Record<DevIdpAppKey, string>> = {
  operator: 'dev-secret-operator',
  portal: 'dev-secret-portal',
};

const DEFAULT_APP_PORTS: Readonly<Record<DevIdpAppKey, number>> = {
  operator: 3100,
  portal: 3200,
};

const DEFAULT_APP_NAMES: Readonly<Record<DevIdpAppKey, string>> = {
  operator: 'Dezky Operator',
  portal: 'Dezky Portal',
};

export function defaultRedirectUris(key: DevIdpAppKey): string[] {
  const port = DEFAULT_APP_PORTS[key];
  return [`http://127.0.0.1:${port}/auth/oidc/callback`, `http://localhost:${port}/auth/oidc/callback`];
}

export function resolveClient(key: DevIdpAppKey, options: DevIdpClientOptions = {}): ResolvedClient {
  const redirectUris = [...(options.redirectUris ?? defaultRedirectUris(key))];
  if (!redirectUris.includes(CLI_REDIRECT_URI)) redirectUris.push(CLI_REDIRECT_URI);
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new TypeError(`dev-idp: invalid redirect URI for ${APP_SLUGS[key]}: ${uri}`);
  }
  const postLogoutRedirectUris =
    options.postLogoutRedirectUris ??
    [...new Set(redirectUris.filter((uri) => uri !== CLI_REDIRECT_URI).map((uri) => `${new URL(uri).origin}/`))];
  return {
    key,
    clientId: APP_SLUGS[key],
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRETS[key],
    redirectUris,
    postLogoutRedirectUris,
    tokenEndpointAuthMethod: options.tokenEndpointAuthMethod ?? 'client_secret_basic',
    name: options.name ?? DEFAULT_APP_NAMES[key],
  };
}

export function validateUsers(users: readonly DevIdpUser[]): DevIdpUser[] {
  const subs = new Set<string>();
  const logins = new Set<string>();
  for (const user of users) {
    if (!user.sub || !user.email || !user.password || !user.name) {
      throw new TypeError('dev-idp: every user needs sub, email, password and name');
    }
    if (subs.has(user.sub)) throw new TypeError(`dev-idp: duplicate user sub ${user.sub}`);
    subs.add(user.sub);
    for (const login of [user.email, user.username].filter((v): v is string => Boolean(v))) {
      const folded = login.toLowerCase();
      if (logins.has(folded)) throw new TypeError(`dev-idp: duplicate user login ${login}`);
      logins.add(folded);
    }
  }
  return users.map((user) => ({ ...user }));
}

export class DevIdpProductionError extends Error {
  constructor() {
    super(
      '@dezky/dev-idp refuses to start: NODE_ENV=production. This OpenID provider is for development and tests only ' +
        '(public passwords, in-memory state); use the real Authentik in production.',
    );
    this.name = 'DevIdpProductionError';
  }
}

/** Throws `DevIdpProductionError` when NODE_ENV is `production`. */
export function assertNotProduction(env: NodeJS.ProcessEnv = process.env): void {
  if ((env.NODE_ENV ?? '').trim().toLowerCase() === 'production') {
    throw new DevIdpProductionError();
  }
}

/**
 * One oidc-provider `Provider` per Authentik-style application.
 *
 * The issuer is `<base>/application/o/<slug>/`; oidc-provider derives its mount path from the
 * issuer's pathname, and the HTTP server (server.ts) strips that prefix from `req.url` while
 * keeping the full path in `req.originalUrl`, which is how oidc-provider learns the mount point
 * when it builds endpoint URLs (discovery, redirects to the resume endpoint).
 */
import type { ClientMetadata, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import Provider from 'oidc-provider';

import { createMemoryAdapterFactory } from './adapter.js';
import type { DevIdpUser, PrivateJwks, ResolvedClient } from './config.js';
import { escapeHtml, page } from './html.js';
import type { UserStore } from './users.js';

/** Scopes a Dezky access token can carry (its resource server's scope). */
export const ACCESS_TOKEN_SCOPES = 'openid email profile offline_access';

/** Scope → claims, as Authentik's default property mappings expose them. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'nickname', 'groups'],
};

/** The resource indicator assumed when the client sends none (Authentik ignores `resource`). */
export function defaultResourceFor(clientId: string): string {
  return `urn:dezky:dev-idp:${clientId}`;
}

export interface ApplicationProviderOptions {
  issuer: string;
  /** Issuer pathname without the trailing slash, e.g. `/application/o/dezky-operator`. */
  mountPath: string;
  client: ResolvedClient;
  users: UserStore;
  jwks: PrivateJwks;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  requirePkce: boolean;
  trustProxy: boolean;
  cookieKeys: string[];
  onServerError: (error: unknown) => void;
}

/** All claims of a user; oidc-provider filters them by granted scope. */
export function userClaims(user: DevIdpUser): Record<string, unknown> & { sub: string } {
  const claims: Record<string, unknown> & { sub: string } = {
    sub: user.sub,
    email: user.email,
    email_verified: user.emailVerified ?? true,
    name: user.name,
    preferred_username: user.username ?? user.email,
    nickname: user.username ?? user.email,
  };
  if (user.givenName !== undefined) claims.given_name = user.givenName;
  if (user.familyName !== undefined) claims.family_name = user.familyName;
  if (user.groups !== undefined) claims.groups = [...user.groups];
  return claims;
}

/** Claims copied into every access token so the API can provision users from the token alone. */
export function accessTokenUserClaims(user: DevIdpUser): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    email: user.email,
    email_verified: user.emailVerified ?? true,
    name: user.name,
    preferred_username: user.username ?? user.email,
  };
  if (user.groups !== undefined) claims.groups = [...user.groups];
  return claims;
}

function clientMetadata(client: ResolvedClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    id_token_signed_response_alg: 'RS256',
  };
}

export function createApplicationProvider(options: ApplicationProviderOptions): Provider {
  const { client, users, accessTokenTtlSeconds, mountPath } = options;
  const allowedOrigins = new Set(client.redirectUris.map((uri) => new URL(uri).origin));

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    clients: [clientMetadata(client)],
    jwks: options.jwks as unknown as { keys: JWK[] },
    cookies: {
      keys: options.cookieKeys,
      // Cookies ignore ports: prefix the names so they never collide with the relying parties'
      // cookies on 127.0.0.1/localhost nor with the other application's provider.
      names: {
        session: `dev-idp.${client.clientId}.session`,
        interaction: `dev-idp.${client.clientId}.interaction`,
        resume: `dev-idp.${client.clientId}.resume`,
      },
      long: { httpOnly: true, sameSite: 'lax', path: `${mountPath}/` },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/end-session',
      revocation: '/revoke',
      introspection: '/introspect',
    },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    pkce: { required: () => options.requirePkce },
    findAccount(_ctx, sub) {
      const user = users.bySub(sub);
      if (!user) return undefined;
      return { accountId: user.sub, claims: () => userClaims(user) };
    },
    extraTokenClaims(_ctx, token) {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const user = accountId ? users.bySub(accountId) : undefined;
      if (!user) return undefined;
      return { ...accessTokenUserClaims(user), azp: token.clientId };
    },
    // Always hand out a refresh token to the authorization code grant (the client allows the
    // refresh_token grant); oidc-provider otherwise only honours offline_access with prompt=consent.
    issueRefreshToken: (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx, origin) => allowedOrigins.has(origin),
    interactions: {
      url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, c, token) => token.clientId === c.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, c, token) => token.clientId === c.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = 'html';
          // An application that names the session it ends (id_token_hint, which the provider
          // has checked) signs out in one step, as Authentik's invalidation flow does; only a
          // bare request to sign out is asked about.
          if (typeof ctx.oidc.params?.id_token_hint === 'string') {
            ctx.body = page(
              'Signing out',
              `${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')}<h1>Signing you out of ${escapeHtml(client.name)}…</h1>
<noscript><button type="submit" form="op.logoutForm">Continue</button></noscript>
<script>document.getElementById('op.logoutForm').submit();</script>`,
            );
            return;
          }
          ctx.body = page(
            'Sign out',
            `${form}<h1>Sign out of ${escapeHtml(client.name)}?</h1>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
          );
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Signed out', `<h1>You have been signed out of ${escapeHtml(client.name)}.</h1>`);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? defaultResourceFor(client.clientId),
        useGrantedResource: () => true,
        // Like Authentik: any requested resource yields an access token whose audience is the client id.
        getResourceServerInfo: () => ({
          scope: ACCESS_TOKEN_SCOPES,
          audience: client.clientId,
          accessTokenTTL: accessTokenTtlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: accessTokenTtlSeconds,
      RefreshToken: options.refreshTokenTtlSeconds,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
    },
    renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        `<h1>Something went wrong</h1>
<p data-dev-idp-error>${escapeHtml(out.error)}${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>`,
      );
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  provider.on('server_error', (_ctx: unknown, error: unknown) => options.onServerError(error));
  return provider;
}

/**
 * One HTTP server, two issuers — the Authentik layout of one OpenID provider per application:
 *
 *   <base>/application/o/dezky-operator/   (client_id dezky-operator)
 *   <base>/application/o/dezky-portal/     (client_id dezky-portal)
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type Provider from 'oidc-provider';

import {
  APP_KEYS,
  APP_SLUGS,
  applicationMountPath,
  assertNotProduction,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
  DEFAULT_USERS,
  type DevIdpAppKey,
  type DevIdpUser,
  type PrivateJwks,
  type ResolvedClient,
  resolveClient,
  type StartDevIdpOptions,
  validateUsers,
} from './config.js';
import { handleInteraction } from './interactions.js';
import { generateSigningJwks, toPublicJwks } from './keys.js';
import { createApplicationProvider } from './provider.js';
import { createUserinfoHandler } from './userinfo.js';
import { UserStore } from './users.js';

export interface DevIdpApplication {
  key: DevIdpAppKey;
  slug: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface DevIdpHandle {
  /** e.g. `http://127.0.0.1:9000` (no trailing slash). */
  baseUrl: string;
  /** Issuer identifiers, each with its trailing slash. */
  issuers: { operator: string; portal: string };
  /** Client registration of each application (client_id = slug). */
  applications: Record<DevIdpAppKey, DevIdpApplication>;
  /** The accounts that can sign in. */
  users: DevIdpUser[];
  close(): Promise<void>;
}

interface MountedApplication {
  mountPath: string;
  issuer: string;
  provider: Provider;
  client: ResolvedClient;
  callback: (req: IncomingMessage, res: ServerResponse) => unknown;
  userinfo: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body, null, 2);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(json);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`dev-idp: ${name} must be a positive integer`);
  return value;
}

function resolveBaseUrl(issuerBaseUrl: string | undefined, host: string, port: number): string {
  if (issuerBaseUrl === undefined) {
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  const url = new URL(issuerBaseUrl);
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new TypeError('dev-idp: issuerBaseUrl must be an origin such as http://127.0.0.1:9000 (no path)');
  }
  return url.origin;
}

/** Starts the dev IdP. Refuses to run when NODE_ENV=production. */
export async function startDevIdp(options: StartDevIdpOptions = {}): Promise<DevIdpHandle> {
  assertNotProduction(options.env ?? process.env);

  const host = options.host ?? DEFAULT_HOST;
  const users = validateUsers(options.users ?? DEFAULT_USERS);
  const userStore = new UserStore(users);
  const accessTokenTtlSeconds = positiveInteger(
    options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    'accessTokenTtlSeconds',
  );
  const refreshTokenTtlSeconds = positiveInteger(
    options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
    'refreshTokenTtlSeconds',
  );
  const cookieKeys = options.cookieKeys ?? [randomBytes(32).toString('base64url')];
  const onServerError = options.onServerError ?? ((error: unknown) => console.error('dev-idp server error:', error));
  const clients = Object.fromEntries(
    APP_KEYS.map((key) => [key, resolveClient(key, options.clients?.[key])]),
  ) as Record<DevIdpAppKey, ResolvedClient>;
  const jwks = Object.fromEntries(
    APP_KEYS.map((key) => [key, options.jwks?.[key] ?? generateSigningJwks()]),
  ) as Record<DevIdpAppKey, PrivateJwks>;

  let mounted: MountedApplication[] = [];

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      onServerError(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryIndex = url.indexOf('?');
    const pathname = queryIndex === -1 ? url : url.slice(0, queryIndex);

    if (pathname === '/-/health/live/' || pathname === '/-/health/ready/') {
      sendJson(res, mounted.length ? 200 : 503, { status: mounted.length ? 'ok' : 'starting' });
      return;
    }
    if (pathname === '/' && req.method === 'GET') {
      sendJson(res, 200, {
        service: '@dezky/dev-idp',
        note: 'development/test-only OpenID provider',
        issuers: Object.fromEntries(mounted.map((app) => [app.client.key, app.issuer])),
      });
      return;
    }

    for (const app of mounted) {
      if (pathname !== app.mountPath && !pathname.startsWith(`${app.mountPath}/`)) continue;
      const subPath = pathname.slice(app.mountPath.length) || '/';

      if (subPath.startsWith('/interaction/')) {
        const handled = await handleInteraction(
          { provider: app.provider, client: app.client, users: userStore, mountPath: app.mountPath },
          req,
          res,
          subPath,
        );
        if (handled) return;
      }
      if (subPath === '/userinfo' || subPath === '/userinfo/') {
        await app.userinfo(req, res);
        return;
      }

      // Mount like express/connect does: oidc-provider routes on the stripped path and derives its
      // mount path (for the URLs it builds) from req.originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(app.mountPath.length) || '/';
      if (!req.url.startsWith('/')) req.url = `/${req.url}`;
      await app.callback(req, res);
      return;
    }

    sendJson(res, 404, { error: 'not_found', path: pathname });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(options.issuerBaseUrl, host, port);
  } catch (error) {
    server.close();
    throw error;
  }

  const applications = {} as Record<DevIdpAppKey, DevIdpApplication>;
  const next: MountedApplication[] = [];
  for (const key of APP_KEYS) {
    const client = clients[key];
    const mountPath = applicationMountPath(key);
    const issuer = `${baseUrl}${mountPath}/`;
    const provider = createApplicationProvider({
      issuer,
      mountPath,
      client,
      users: userStore,
      jwks: jwks[key],
      accessTokenTtlSeconds,
      refreshTokenTtlSeconds,
      requirePkce: options.requirePkce ?? true,
      trustProxy: options.trustProxy ?? false,
      cookieKeys,
      onServerError,
    });
    next.push({
      mountPath,
      issuer,
      provider,
      client,
      callback: provider.callback(),
      userinfo: createUserinfoHandler({
        issuer,
        clientId: client.clientId,
        publicJwks: toPublicJwks(jwks[key]),
        users: userStore,
      }),
    });
    applications[key] = {
      key,
      slug: APP_SLUGS[key],
      issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUris: [...client.redirectUris],
    };
  }
  mounted = next;

  let closing: Promise<void> | undefined;
  const handle: DevIdpHandle = {
    baseUrl,
    issuers: { operator: applications.operator.issuer, portal: applications.portal.issuer },
    applications,
    users: users.map((user) => ({ ...user })),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return handle;
}

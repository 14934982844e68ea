import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { type Blueprint, blueprintClients, envNames } from './blueprint.js';
import { ROOT } from './paths.js';

/**
 * How docker-compose.yml, traefik/dynamic.yml and the Authentik blueprint must agree for a
 * sign-in to work: the host names Traefik routes, the clients and redirect URIs Authentik knows,
 * the issuers and audiences the API trusts, and the secrets both ends of a client share.
 */

/** traefik/dynamic.yml, parsed. */
export function traefikFile(file = path.join(ROOT, 'traefik/dynamic.yml')): TraefikConfig {
  return parse(readFileSync(file, 'utf8')) as TraefikConfig;
}

export interface TraefikConfig {
  http?: {
    routers?: Record<string, { rule?: string; service?: string; middlewares?: string[] }>;
    middlewares?: Record<string, Record<string, unknown>>;
    services?: Record<string, { loadBalancer?: TraefikLoadBalancer }>;
  };
}

interface TraefikLoadBalancer {
  servers?: { url?: string }[];
  healthCheck?: { path?: string };
  sticky?: unknown;
  responseForwarding?: { flushInterval?: string };
}

type ComposeService = {
  environment?: Record<string, unknown>;
  volumes?: unknown[];
  deploy?: { replicas?: number };
  container_name?: string;
  ports?: unknown[];
  networks?: Record<string, { aliases?: string[] } | null> | string[];
};

/** The route of a file under a Nitro server/routes folder: `auth/oidc/callback.get.ts` -> `/auth/oidc/callback`. */
export function routeOfFile(relative: string): string {
  return '/' + relative.replace(/\\/g, '/').replace(/(\.(get|post|put|patch|delete|head))?\.ts$/, '').replace(/\/index$/, '');
}

/** The sign-in callback route the apps serve, from its file in the shared layer. */
export const CALLBACK_ROUTE_FILE = 'auth/oidc/callback.get.ts';
export function callbackPath(routesDir = path.join(ROOT, 'packages/nuxt-shared/server/routes')): string {
  const file = path.join(routesDir, CALLBACK_ROUTE_FILE);
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: the apps' OIDC callback route moved`);
  return routeOfFile(CALLBACK_ROUTE_FILE);
}

/** The .env variable a Compose value is interpolated from (`${NAME:?...}` -> NAME); undefined for a literal. */
export function interpolatedFrom(value: unknown): string | undefined {
  return /\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(String(value ?? ''))?.[1];
}

const list = (value: unknown) =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The Compose service each Traefik host name reaches, with its public origin: the Host(`...`)
 * rule of each router, through its Traefik service's server URLs (container or service names).
 */
export function publicOrigins(traefik: TraefikConfig, compose: Record<string, unknown>): Map<string, string> {
  const services = Object.keys((compose.services ?? {}) as object);
  const project = String(compose.name ?? '');
  const origins = new Map<string, string>();
  for (const router of Object.values(traefik.http?.routers ?? {})) {
    const host = /Host\(`([^`]+)`\)/.exec(router.rule ?? '')?.[1];
    const servers = traefik.http?.services?.[router.service ?? '']?.loadBalancer?.servers ?? [];
    for (const server of servers) {
      const hostname = new URL(server.url ?? 'http://invalid').hostname;
      const service = services.find((s) => hostname === s || new RegExp(`^${project}-${s}-\\d+$`).test(hostname));
      if (host && service) origins.set(service, `http://${host}`);
    }
  }
  return origins;
}

export interface Wiring {
  compose: Record<string, unknown>;
  traefik: TraefikConfig;
  blueprint: Blueprint;
  callbackPath: string;
}

/** The ways the three files disagree, one line each; empty when a sign-in can work. */
export function wiringProblems({ compose, traefik, blueprint, callbackPath }: Wiring): string[] {
  const problems: string[] = [];
  const services = (compose.services ?? {}) as Record<string, ComposeService>;
  const origins = publicOrigins(traefik, compose);
  const authOrigin = origins.get('authentik-server');
  if (!authOrigin) return ['traefik/dynamic.yml: no route reaches authentik-server'];
  const clients = blueprintClients(blueprint);
  const authentikEnv = services['authentik-server']?.environment ?? {};

  for (const app of ['operator', 'portal']) {
    const env = services[app]?.environment ?? {};
    const origin = origins.get(app);
    if (!origin) {
      problems.push(`traefik/dynamic.yml: no route reaches ${app}`);
      continue;
    }
    const clientId = env.NUXT_OAUTH_OIDC_CLIENT_ID;
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) {
      problems.push(`${app}: NUXT_OAUTH_OIDC_CLIENT_ID ${String(clientId)} is no client of the blueprint (${clients.map((c) => c.clientId).join(', ')})`);
      continue;
    }
    const discovery = `${authOrigin}/application/o/${client.slug}/.well-known/openid-configuration`;
    if (env.NUXT_OAUTH_OIDC_OPENID_CONFIG !== discovery) {
      problems.push(`${app}: NUXT_OAUTH_OIDC_OPENID_CONFIG must be ${discovery}, not ${String(env.NUXT_OAUTH_OIDC_OPENID_CONFIG)}`);
    }
    const redirect = `${origin}${callbackPath}`;
    if (env.NUXT_OAUTH_OIDC_REDIRECT_URL !== undefined && env.NUXT_OAUTH_OIDC_REDIRECT_URL !== redirect) {
      problems.push(`${app}: NUXT_OAUTH_OIDC_REDIRECT_URL must be ${redirect} (its origin and callback route), not ${String(env.NUXT_OAUTH_OIDC_REDIRECT_URL)}`);
    }
    const authorization = client.redirectUris.filter((u) => (u.redirect_uri_type ?? 'authorization') === 'authorization');
    if (!authorization.some((u) => u.matching_mode === 'strict' && u.url === redirect)) {
      problems.push(`blueprint: ${client.slug} has no strict redirect URI ${redirect} (it has ${authorization.map((u) => u.url).join(', ') || 'none'})`);
    }
    const logout = env.NUXT_OAUTH_OIDC_POST_LOGOUT_REDIRECT_URL ?? `${origin}/`;
    if (!client.redirectUris.some((u) => u.redirect_uri_type === 'logout' && u.matching_mode === 'strict' && u.url === logout)) {
      problems.push(`blueprint: ${client.slug} has no strict logout redirect URI ${String(logout)}`);
    }
    if (client.issuerMode !== 'per_provider') problems.push(`blueprint: ${client.slug} must have issuer_mode per_provider, not ${String(client.issuerMode)}`);
    // Both ends of the client read one .env variable for its secret.
    const provider = (blueprint.value.entries ?? []).find((e) => e.model === 'authentik_providers_oauth2.oauth2provider' && e.attrs?.client_id === clientId);
    const secretEnv = String(provider?.attrs?.client_secret ?? '');
    const fromApp = interpolatedFrom(env.NUXT_OAUTH_OIDC_CLIENT_SECRET);
    const fromAuthentik = interpolatedFrom(authentikEnv[secretEnv]);
    if (!fromApp || fromApp !== fromAuthentik) {
      problems.push(`${app}: NUXT_OAUTH_OIDC_CLIENT_SECRET comes from ${fromApp ?? 'no .env variable'}, the blueprint's client_secret (!Env ${secretEnv}) from ${fromAuthentik ?? 'nothing'}`);
    }
  }

  const api = services['platform-api']?.environment ?? {};
  const issuers = clients.map((c) => `${authOrigin}/application/o/${c.slug}/`);
  if (!sameSet(list(api.AUTHENTIK_ISSUERS), issuers)) {
    problems.push(`platform-api: AUTHENTIK_ISSUERS must be ${issuers.join(',')}, not ${String(api.AUTHENTIK_ISSUERS)}`);
  }
  const clientIds = clients.map((c) => String(c.clientId));
  if (!sameSet(list(api.AUTHENTIK_AUDIENCE), clientIds)) {
    problems.push(`platform-api: AUTHENTIK_AUDIENCE must be ${clientIds.join(',')}, not ${String(api.AUTHENTIK_AUDIENCE)}`);
  }
  const adminUser = (blueprint.value.entries ?? []).find((e) => e.model === 'authentik_core.user');
  const adminEmailFrom = interpolatedFrom(authentikEnv[String(adminUser?.attrs?.email ?? '')]);
  if (!adminEmailFrom || !list(api.PLATFORM_ADMIN_EMAILS).some((e) => interpolatedFrom(e) === adminEmailFrom)) {
    problems.push(`platform-api: PLATFORM_ADMIN_EMAILS must contain \${${adminEmailFrom ?? '?'}}, the blueprint user's email`);
  }
  if (interpolatedFrom(api.AUTHENTIK_API_TOKEN) !== interpolatedFrom(authentikEnv.AUTHENTIK_BOOTSTRAP_TOKEN)) {
    problems.push('platform-api: AUTHENTIK_API_TOKEN and Authentik’s AUTHENTIK_BOOTSTRAP_TOKEN must come from one .env variable');
  }

  // Authentik's server and worker both have the blueprint, and what it reads.
  for (const name of ['authentik-server', 'authentik-worker']) {
    const service = services[name];
    if (!service) {
      problems.push(`${name}: missing`);
      continue;
    }
    if (!(service.volumes ?? []).some((v) => /^\.\/deploy\/authentik\/dezky\.yaml:\/blueprints\/custom\/[^:]+\.yaml(:ro)?$/.test(String(v)))) {
      problems.push(`${name}: must mount ./deploy/authentik/dezky.yaml under /blueprints/custom/`);
    }
    for (const env of envNames(blueprint)) {
      if (!(env in (service.environment ?? {}))) problems.push(`${name}: the blueprint reads ${env}, which its environment lacks`);
    }
  }

  // Every public host name resolves to Traefik inside the network too.
  const traefikService = services.traefik;
  const networks = traefikService?.networks;
  const aliases = networks && !Array.isArray(networks) ? Object.values(networks).flatMap((n) => n?.aliases ?? []) : [];
  for (const origin of origins.values()) {
    const host = new URL(origin).hostname;
    if (!aliases.includes(host)) problems.push(`traefik: ${host} must be one of its network aliases, for the containers that reach it by that name`);
  }
  return problems;
}

/**
 * How the API's replicas sit behind Traefik: each replica one server of the Traefik service, no
 * fixed container name or host port (they would clash), health-checked, no sticky sessions, event
 * streams flushed as they come and never compressed, and a rate limit on the API's route.
 */
export function replicaProblems(compose: Record<string, unknown>, traefik: TraefikConfig): string[] {
  const problems: string[] = [];
  const api = ((compose.services ?? {}) as Record<string, ComposeService>)['platform-api'];
  if (!api) return ['platform-api: missing'];
  const replicas = api.deploy?.replicas ?? 1;
  if (replicas < 2) problems.push(`platform-api: deploy.replicas must be 2 or more, not ${replicas}`);
  if (api.container_name) problems.push('platform-api: container_name would forbid a second replica');
  if (api.ports?.length) problems.push('platform-api: a host port would forbid a second replica; Traefik reaches it on the network');
  const routers = Object.values(traefik.http?.routers ?? {});
  const router = routers.find((r) => /Host\(`api\./.test(r.rule ?? ''));
  const lb = traefik.http?.services?.[router?.service ?? '']?.loadBalancer;
  if (!router || !lb) return [...problems, 'traefik/dynamic.yml: no route with its service for the API'];
  const expected = Array.from({ length: replicas }, (_, i) => `http://${String(compose.name)}-platform-api-${i + 1}:3001`);
  const urls = (lb.servers ?? []).map((s) => s.url ?? '');
  if (!sameSet(urls, expected)) problems.push(`traefik/dynamic.yml: the API's servers must be ${expected.join(', ')}, not ${urls.join(', ')}`);
  if (lb.healthCheck?.path !== '/health/ready') problems.push("traefik/dynamic.yml: the API's servers must be health-checked at /health/ready (readiness: ready while MongoDB is down, not while stopping)");
  if (lb.sticky !== undefined) problems.push('traefik/dynamic.yml: no sticky sessions for the API');
  const flush = lb.responseForwarding?.flushInterval;
  if (!flush || !/^\d+ms$/.test(flush) || Number.parseInt(flush, 10) > 200) {
    problems.push(`traefik/dynamic.yml: the API's responseForwarding.flushInterval must be at most 200ms (event streams), not ${String(flush)}`);
  }
  const middlewares = traefik.http?.middlewares ?? {};
  const onRoute = (router.middlewares ?? []).map((name) => ({ name, config: middlewares[name] }));
  for (const m of onRoute) {
    if (!m.config) problems.push(`traefik/dynamic.yml: the API's route uses ${m.name}, which is not defined`);
    if (m.config && 'buffering' in m.config) problems.push(`traefik/dynamic.yml: ${m.name} buffers the API's responses, event streams included`);
    const compress = m.config?.compress as { excludedContentTypes?: string[]; includedContentTypes?: string[] } | true | undefined;
    if (compress !== undefined) {
      const excluded = typeof compress === 'object' ? (compress.excludedContentTypes ?? []) : [];
      const included = typeof compress === 'object' ? compress.includedContentTypes : undefined;
      if (included ? included.includes('text/event-stream') : !excluded.includes('text/event-stream')) {
        problems.push(`traefik/dynamic.yml: ${m.name} would compress text/event-stream`);
      }
    }
  }
  if (!onRoute.some((m) => m.config && 'rateLimit' in m.config)) problems.push("traefik/dynamic.yml: the API's route has no rateLimit middleware");
  return problems;
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';

/**
 * Which environment variables each service of docker-compose.yml reads, so that its
 * `environment` names nothing the service ignores (a misspelt name fails silently otherwise).
 */

/**
 * The variables the API reads: the keys of its zod configSchema, from the built API
 * (services/platform-api/dist/config/app-config.js), so they are the ones its boot validates.
 */
export function apiConfigNames(): string[] {
  const file = path.join(ROOT, 'services/platform-api/dist/config/app-config.js');
  const { configSchema } = createRequire(import.meta.url)(file) as { configSchema?: { shape?: Record<string, unknown> } };
  const names = Object.keys(configSchema?.shape ?? {});
  if (names.length === 0) throw new Error(`${file} exports no configSchema with variables: build the API first`);
  return names;
}

/** `redirectURL` -> `REDIRECT_URL`, `openidConfig` -> `OPENID_CONFIG`: Nuxt's names of runtimeConfig keys. */
export function envSegment(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** Every NUXT_* name that overrides a key (at any depth) of a runtimeConfig object. */
export function runtimeConfigNames(runtimeConfig: Record<string, unknown>, prefix = 'NUXT'): string[] {
  return Object.entries(runtimeConfig).flatMap(([key, value]) => {
    const name = `${prefix}_${envSegment(key)}`;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? [name, ...runtimeConfigNames(value as Record<string, unknown>, name)] : [name];
  });
}

/** Read by every Nuxt server whatever its runtimeConfig: Nitro's listener, and the environment it runs as. */
export const NUXT_SERVER_NAMES = ['PORT', 'HOST', 'APP_ENV', 'NODE_ENV'];

type NuxtConfigLike = { runtimeConfig?: Record<string, unknown> };

async function loadNuxtConfig(file: string): Promise<NuxtConfigLike> {
  // nuxt.config.ts files call Nuxt's global defineNuxtConfig, which returns its argument.
  const g = globalThis as { defineNuxtConfig?: (c: unknown) => unknown };
  g.defineNuxtConfig ??= (c) => c;
  return ((await import(pathToFileURL(file).href)) as { default: NuxtConfigLike }).default;
}

/** The variables a Nuxt app reads: the NUXT_* names of its runtimeConfig and of the shared layer's, and NUXT_SERVER_NAMES. */
export async function nuxtAppNames(app: 'operator' | 'portal'): Promise<string[]> {
  const layer = await loadNuxtConfig(path.join(ROOT, 'packages/nuxt-shared/nuxt.config.ts'));
  const own = await loadNuxtConfig(path.join(ROOT, 'apps', app, 'nuxt.config.ts'));
  return [...new Set([...runtimeConfigNames(layer.runtimeConfig ?? {}), ...runtimeConfigNames(own.runtimeConfig ?? {}), ...NUXT_SERVER_NAMES])];
}

/**
 * Authentik's settings docker-compose.yml may give (https://docs.goauthentik.io/install-config/configuration/):
 * the ones it gives today; add one here with the setting's documentation at hand.
 */
export const AUTHENTIK_SETTINGS = [
  'AUTHENTIK_SECRET_KEY',
  'AUTHENTIK_POSTGRESQL__HOST',
  'AUTHENTIK_POSTGRESQL__PORT',
  'AUTHENTIK_POSTGRESQL__NAME',
  'AUTHENTIK_POSTGRESQL__USER',
  'AUTHENTIK_POSTGRESQL__PASSWORD',
  'AUTHENTIK_BOOTSTRAP_PASSWORD',
  'AUTHENTIK_BOOTSTRAP_EMAIL',
  'AUTHENTIK_BOOTSTRAP_TOKEN',
  'AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS',
  'AUTHENTIK_LOG_LEVEL',
  'AUTHENTIK_ERROR_REPORTING__ENABLED',
  'AUTHENTIK_DISABLE_STARTUP_ANALYTICS',
  'AUTHENTIK_DISABLE_UPDATE_CHECK',
];

/** The official postgres image's initialisation settings (https://hub.docker.com/_/postgres). */
export const POSTGRES_SETTINGS = ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_INITDB_ARGS', 'PGDATA'];

/** The names of a Compose service's `environment`, in its map or its list (`NAME=value`) form. */
export function environmentNames(service: { environment?: unknown }): string[] {
  const env = service.environment;
  if (env === undefined || env === null) return [];
  if (Array.isArray(env)) return env.map((item) => String(item).split('=')[0]!);
  return Object.keys(env as object);
}

/**
 * The complaints about a Compose document's environments, one line each: a service without a
 * list of what it reads, or a variable its list does not have. `readers` gives each service's
 * list; a service absent from it must have no environment.
 */
export function environmentProblems(compose: Record<string, unknown>, readers: Record<string, readonly string[]>): string[] {
  const services = (compose.services ?? {}) as Record<string, { environment?: unknown }>;
  return Object.entries(services).flatMap(([name, service]) => {
    const names = environmentNames(service);
    const reads = readers[name];
    if (!reads) return names.length ? [`${name}: sets ${names.join(', ')}, but nothing says what ${name} reads`] : [];
    return names.filter((n) => !reads.includes(n)).map((n) => `${name}: ${n} is read by nothing in ${name}`);
  });
}

import type { INestApplication } from '@nestjs/common';

export interface RouteInfo {
  method: string;
  path: string;
}

/** The routes each app registered, as createApp's `onRoute` reported them. */
const registered = new WeakMap<INestApplication, RouteInfo[]>();

/**
 * Collects the routes of an app being created: give `onRoute` to createApp, then `attach`
 * the app so that listRoutes can answer for it.
 */
export function recordRoutes(): { onRoute: (method: string, path: string) => void; attach: (app: INestApplication) => void } {
  const routes: RouteInfo[] = [];
  return {
    onRoute: (method, path) => routes.push({ method, path }),
    attach: (app) => registered.set(app, routes),
  };
}

/**
 * Every route the running Fastify router serves, as "METHOD /path" (Nest and Swagger alike),
 * as registered. The HEAD route Fastify adds beside each GET is left out, as Express answered
 * HEAD for a GET route without listing it.
 */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const routes = registered.get(app);
  if (!routes) throw new Error('listRoutes: the app was not created by createTestApp');
  const out = new Map<string, RouteInfo>();
  for (const r of routes) out.set(`${r.method} ${r.path}`, r);
  for (const [key, r] of out) {
    if (r.method === 'HEAD' && out.has(`GET ${r.path}`)) out.delete(key);
  }
  return [...out.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

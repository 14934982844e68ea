import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_NODE_ARGS } from '@dezky/test-stack';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../../..');
// Parsed YAML is untyped by nature; the assertions below are what check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (file: string) => parse(readFileSync(path.join(ROOT, file), "utf8")) as Record<string, any>;

/** docker-compose cannot run on our machines; these checks keep it consistent for users who have Docker. */
describe('docker-compose.yml and traefik/dynamic.yml', () => {
  const compose = load('docker-compose.yml');
  const traefik = load('traefik/dynamic.yml');

  it('declares the platform services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['authentik-postgresql', 'authentik-server', 'authentik-worker', 'mongo', 'operator', 'platform-api', 'portal', 'traefik']);
  });

  it('runs mongo:7 as a one-node replica set that the API connects to', () => {
    expect(compose.services.mongo.image).toBe('mongo:7');
    expect(compose.services.mongo.command).toContain('--replSet');
    expect(compose.services['platform-api'].environment.MONGO_URL).toMatch(/^mongodb:\/\/mongo:27017\/\w+\?replicaSet=rs0$/);
  });

  it('runs the API as replicas on port 3001, reached over the compose network only', () => {
    const api = compose.services['platform-api'];
    expect(api.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(api.container_name).toBeUndefined();
    expect(api.ports).toBeUndefined();
    expect(api.environment.PORT).toBe('3001');
  });

  describe.each(['operator', 'portal'])('the %s app', (app) => {
    const environment = compose.services[app].environment as Record<string, string>;

    it('is given only variables it reads: PORT and HOST (Nitro), APP_ENV (check-config) and the NUXT_ names of its runtime config', async () => {
      const read = await runtimeConfigVariables(app);
      expect(read).toContain('NUXT_PLATFORM_API_URL');
      for (const name of Object.keys(environment)) {
        expect(['PORT', 'HOST', 'APP_ENV', ...read], `${app}: ${name}`).toContain(name);
      }
    });

    it('reaches the API by its compose service name and port', () => {
      const url = new URL(environment.NUXT_PLATFORM_API_URL!);
      expect(compose.services).toHaveProperty(url.hostname);
      expect(url.port).toBe(compose.services[url.hostname].environment.PORT);
    });

    it('gets what a production build has no default for: the session password and the OIDC client', () => {
      for (const name of ['NUXT_SESSION_PASSWORD', 'NUXT_OAUTH_OIDC_OPENID_CONFIG', 'NUXT_OAUTH_OIDC_CLIENT_ID', 'NUXT_OAUTH_OIDC_CLIENT_SECRET']) {
        expect(environment, `${app}: ${name}`).toHaveProperty(name);
      }
      expect(environment.NUXT_OAUTH_OIDC_CLIENT_ID).toBe(`dezky-${app}`);
    });
  });

  it('mounts the traefik file, whose every service targets a compose service on its port', () => {
    expect(compose.services.traefik.volumes).toContain('./traefik/dynamic.yml:/etc/traefik/dynamic.yml:ro');
    const services = traefik.http.services as Record<string, { loadBalancer: { servers: { url: string }[] } }>;
    for (const [name, svc] of Object.entries(services)) {
      for (const { url } of svc.loadBalancer.servers) {
        // A service name, or a replica's container name: <project>-<service>-<index>.
        const host = new URL(url).hostname.replace(new RegExp(`^${compose.name}-(.+)-\\d+$`), '$1');
        expect(compose.services, `${name} -> ${host}`).toHaveProperty(host);
      }
    }
    for (const router of Object.values(traefik.http.routers as Record<string, { service: string }>)) {
      expect(services).toHaveProperty(router.service);
    }
  });
});

/** Nuxt reads a runtime config key `a.fooBar` from NUXT_A_FOO_BAR (and a `public` one from NUXT_PUBLIC_...). */
const envSegment = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toUpperCase();

/** Every NUXT_ variable the app reads: one per key path of its runtime config and the shared layer's. */
async function runtimeConfigVariables(app: string): Promise<string[]> {
  // The configs call Nuxt's global defineNuxtConfig, which returns its argument.
  (globalThis as { defineNuxtConfig?: (c: unknown) => unknown }).defineNuxtConfig = (c) => c;
  const load = async (file: string) =>
    ((await import(pathToFileURL(path.join(ROOT, file)).href)) as { default: { runtimeConfig?: Record<string, unknown> } }).default.runtimeConfig ?? {};
  const names = new Set<string>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const name = `${prefix}_${envSegment(key)}`;
      names.add(name);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, name);
    }
  };
  walk(await load('packages/nuxt-shared/nuxt.config.ts'), 'NUXT');
  walk(await load(`apps/${app}/nuxt.config.ts`), 'NUXT');
  return [...names];
}

describe("the API's node options", () => {
  it('are the same in the image, in `pnpm start` and wherever the tests, the benchmarks and development start it', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('AS platform-api'));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(stage)?.[1] ?? 'null') as string[];
    expect(cmd).toEqual(['node', ...API_NODE_ARGS, 'dist/main.js']);
    const start = (JSON.parse(readFileSync(path.join(ROOT, 'services/platform-api/package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start.split(' ')).toEqual(['node', ...API_NODE_ARGS, 'dist/main.js']);
  });
});

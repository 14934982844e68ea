import { readFileSync } from 'node:fs';
import path from 'node:path';
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
    expect(Object.keys(compose.services).sort()).toEqual(['mongo', 'operator', 'platform-api', 'portal', 'traefik']);
  });

  it('runs mongo:7 as a one-node replica set that the API connects to', () => {
    expect(compose.services.mongo.image).toBe('mongo:7');
    expect(compose.services.mongo.command).toContain('--replSet');
    expect(compose.services['platform-api'].environment.MONGO_URL).toMatch(/^mongodb:\/\/mongo:27017\/\w+\?replicaSet=rs0$/);
  });

  it('names the API container and publishes port 3001', () => {
    const api = compose.services['platform-api'];
    expect(api.container_name).toBe('dezky-platform-api');
    expect(api.ports).toContain('3001:3001');
    expect(api.environment.PORT).toBe('3001');
  });

  it('points both apps at the API through PLATFORM_API_INTERNAL_URL, defaulting to the service name', () => {
    for (const app of ['operator', 'portal']) {
      expect(compose.services[app].environment.PLATFORM_API_INTERNAL_URL).toBe('${PLATFORM_API_INTERNAL_URL:-http://platform-api:3001}');
    }
  });

  it('mounts the traefik file, whose every service targets a compose service on its port', () => {
    expect(compose.services.traefik.volumes).toContain('./traefik/dynamic.yml:/etc/traefik/dynamic.yml:ro');
    const services = traefik.http.services as Record<string, { loadBalancer: { servers: { url: string }[] } }>;
    for (const [name, svc] of Object.entries(services)) {
      for (const { url } of svc.loadBalancer.servers) {
        const host = new URL(url).hostname;
        expect(compose.services, `${name} -> ${host}`).toHaveProperty(host);
      }
    }
    for (const router of Object.values(traefik.http.routers as Record<string, { service: string }>)) {
      expect(services).toHaveProperty(router.service);
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blueprintFile, envNames, parseBlueprint } from '../src/blueprint.js';
import { composeErrors, composeFile } from '../src/compose.js';
import { apiConfigNames, AUTHENTIK_SETTINGS, environmentProblems, nuxtAppNames, POSTGRES_SETTINGS, runtimeConfigNames } from '../src/compose-env.js';
import { callbackPath, replicaProblems, traefikFile, wiringProblems } from '../src/compose-wiring.js';
import { ROOT } from '../src/paths.js';

type Services = Record<string, Record<string, unknown> & { environment?: Record<string, unknown> }>;

/** A deep copy of docker-compose.yml, to break. */
const composeCopy = () => structuredClone(composeFile()) as Record<string, unknown> & { services: Services };

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    expect(composeErrors(composeFile())).toEqual([]);
  });

  it('is refused by the schema when a service is malformed', () => {
    const doc = composeFile();
    const services = doc.services as Record<string, Record<string, unknown>>;
    const broken = { ...doc, services: { ...services, mongo: { ...services.mongo, healthcheck: { interval: 5, bogus: true } } } };
    expect(composeErrors(broken).length).toBeGreaterThan(0);
  });

  it('pins Authentik, PostgreSQL and Traefik to exact versions', () => {
    const images = Object.values(composeFile().services as Services).flatMap((s) => (s.image ? [String(s.image)] : []));
    const exact = { 'ghcr.io/goauthentik/server': /^\d+\.\d+\.\d+$/, 'docker.io/library/postgres': /^\d+\.\d+-alpine$/, traefik: /^v\d+\.\d+\.\d+$/ };
    for (const [repository, tag] of Object.entries(exact)) {
      const pinned = images.filter((i) => i.startsWith(`${repository}:`));
      expect(pinned.length, repository).toBeGreaterThan(0);
      for (const image of pinned) expect(image.slice(repository.length + 1), image).toMatch(tag);
    }
  });

  it('gives the API and every service run from a published image a health check', () => {
    for (const [name, service] of Object.entries(composeFile().services as Services)) {
      if (service.build) continue;
      expect(service.healthcheck, name).toBeDefined();
    }
    expect((composeFile().services as Services)['platform-api']!.healthcheck).toBeDefined();
  });
});

describe('the environment of each service of docker-compose.yml', () => {
  const readers = async () => {
    const authentik = [...AUTHENTIK_SETTINGS, ...envNames(blueprintFile())];
    return {
      'platform-api': apiConfigNames(),
      operator: await nuxtAppNames('operator'),
      portal: await nuxtAppNames('portal'),
      'authentik-server': authentik,
      'authentik-worker': authentik,
      'authentik-postgresql': POSTGRES_SETTINGS,
    };
  };

  it('names only variables the service reads', async () => {
    expect(environmentProblems(composeFile(), await readers())).toEqual([]);
  });

  it('finds the API’s variables in its configuration schema', () => {
    const names = apiConfigNames();
    expect(names).toEqual(expect.arrayContaining(['PORT', 'MONGO_URL', 'AUTHENTIK_ISSUERS', 'EVENT_STREAM_SECRET', 'WEBHOOKS_ALLOW_LOOPBACK']));
    expect(names).toContain('SHUTDOWN_DRAIN_MS');
    expect(names).not.toContain('ConfigError');
  });

  it('finds the apps’ variables in their runtimeConfig, by Nuxt’s naming', async () => {
    expect(runtimeConfigNames({ oauth: { oidc: { redirectURL: '', openidConfig: '' } }, sessionStore: { dir: '' } })).toEqual([
      'NUXT_OAUTH',
      'NUXT_OAUTH_OIDC',
      'NUXT_OAUTH_OIDC_REDIRECT_URL',
      'NUXT_OAUTH_OIDC_OPENID_CONFIG',
      'NUXT_SESSION_STORE',
      'NUXT_SESSION_STORE_DIR',
    ]);
    expect(await nuxtAppNames('portal')).toEqual(
      expect.arrayContaining(['NUXT_PLATFORM_API_URL', 'NUXT_SESSION_PASSWORD', 'NUXT_OAUTH_OIDC_CLIENT_SECRET', 'NUXT_OAUTH_OIDC_POST_LOGOUT_REDIRECT_URL', 'NUXT_SESSION_STORE_DIR', 'NUXT_PUBLIC_APP_NAME']),
    );
  });

  it.each([
    ['platform-api', 'AUTHENTIK_ISSUER'],
    ['operator', 'NUXT_OAUTH_OIDC_CLIENTID'],
    ['authentik-worker', 'AUTHENTIK_POSTGRESQL_PASSWORD'],
    ['authentik-postgresql', 'POSTGRES_PASS'],
  ])('catches a misspelt variable of %s (%s)', async (service, misspelt) => {
    const doc = composeCopy();
    doc.services[service]!.environment = { ...doc.services[service]!.environment, [misspelt]: 'x' };
    expect(environmentProblems(doc, await readers())).toEqual([`${service}: ${misspelt} is read by nothing in ${service}`]);
  });

  it('catches an environment on a service nothing says the reads of', async () => {
    const doc = composeCopy();
    doc.services.traefik!.environment = { TRAEFIK_LOG_LEVEL: 'DEBUG' };
    expect(environmentProblems(doc, await readers())).toEqual(['traefik: sets TRAEFIK_LOG_LEVEL, but nothing says what traefik reads']);
  });

});

describe('docker-compose.yml, traefik/dynamic.yml and the Authentik blueprint', () => {
  const wiring = () => ({ compose: composeCopy(), traefik: structuredClone(traefikFile()), blueprint: blueprintFile(), callbackPath: callbackPath() });

  it('agree on clients, redirect URIs, issuers, audiences and shared secrets', () => {
    expect(wiringProblems(wiring())).toEqual([]);
  });

  it('take the redirect path from the apps’ callback route file', () => {
    expect(callbackPath()).toBe('/auth/oidc/callback');
    expect(() => callbackPath(path.join(ROOT, 'packages/nuxt-shared/server/api'))).toThrow(/callback route moved/);
  });

  it('disagree when an app’s redirect URI is not the blueprint’s', () => {
    const w = wiring();
    w.compose.services.operator!.environment!.NUXT_OAUTH_OIDC_REDIRECT_URL = 'http://operator.localhost/auth/callback';
    expect(wiringProblems(w)).toEqual([expect.stringMatching(/^operator: NUXT_OAUTH_OIDC_REDIRECT_URL must be http:\/\/operator\.localhost\/auth\/oidc\/callback/)]);
  });

  it('disagree when the blueprint registers a wrong redirect URI', () => {
    const w = wiring();
    const text = readFileSync(path.join(ROOT, 'deploy/authentik/dezky.yaml'), 'utf8').replace('url: http://portal.localhost/auth/oidc/callback', 'url: http://portal.localhost/auth/callback');
    w.blueprint = parseBlueprint(text);
    expect(wiringProblems(w)).toEqual(['blueprint: dezky-portal has no strict redirect URI http://portal.localhost/auth/oidc/callback (it has http://portal.localhost/auth/callback)']);
  });

  it('disagree when the API trusts another issuer or audience', () => {
    const w = wiring();
    const api = w.compose.services['platform-api']!.environment!;
    api.AUTHENTIK_ISSUERS = 'http://auth.localhost/application/o/dezky-operator,http://auth.localhost/application/o/dezky-portal/';
    api.AUTHENTIK_AUDIENCE = 'dezky-operator';
    const problems = wiringProblems(w);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^platform-api: AUTHENTIK_ISSUERS must be http:\/\/auth\.localhost\/application\/o\/dezky-operator\/,/);
    expect(problems[1]).toMatch(/^platform-api: AUTHENTIK_AUDIENCE must be dezky-operator,dezky-portal/);
  });

  it('disagree when an app asks for a client or discovery document the blueprint does not have', () => {
    const w = wiring();
    w.compose.services.portal!.environment!.NUXT_OAUTH_OIDC_CLIENT_ID = 'dezky-customer';
    w.compose.services.operator!.environment!.NUXT_OAUTH_OIDC_OPENID_CONFIG = 'http://auth.localhost/application/o/dezky-portal/.well-known/openid-configuration';
    expect(wiringProblems(w)).toEqual([
      expect.stringMatching(/^operator: NUXT_OAUTH_OIDC_OPENID_CONFIG must be http:\/\/auth\.localhost\/application\/o\/dezky-operator\//),
      expect.stringMatching(/^portal: NUXT_OAUTH_OIDC_CLIENT_ID dezky-customer is no client of the blueprint/),
    ]);
  });

  it('disagree when the two ends of a client read different secrets', () => {
    const w = wiring();
    w.compose.services.operator!.environment!.NUXT_OAUTH_OIDC_CLIENT_SECRET = '${PORTAL_OIDC_CLIENT_SECRET:?}';
    expect(wiringProblems(w)).toEqual([expect.stringMatching(/^operator: NUXT_OAUTH_OIDC_CLIENT_SECRET comes from PORTAL_OIDC_CLIENT_SECRET, the blueprint's client_secret \(!Env DEZKY_OPERATOR_CLIENT_SECRET\) from OPERATOR_OIDC_CLIENT_SECRET/)]);
  });

  it('disagree when the blueprint is not mounted, or its variables are not given, or the admin is not the platform’s', () => {
    const w = wiring();
    const worker = w.compose.services['authentik-worker']!;
    worker.volumes = (worker.volumes as string[]).filter((v) => !v.includes('dezky.yaml'));
    worker.environment = { ...worker.environment };
    delete worker.environment.DEZKY_PORTAL_CLIENT_SECRET;
    w.compose.services['platform-api']!.environment!.PLATFORM_ADMIN_EMAILS = 'someone@dezky.example';
    expect(wiringProblems(w)).toEqual([
      expect.stringMatching(/^platform-api: PLATFORM_ADMIN_EMAILS must contain \$\{DEZKY_ADMIN_EMAIL\}/),
      'authentik-worker: must mount ./deploy/authentik/dezky.yaml under /blueprints/custom/',
      'authentik-worker: the blueprint reads DEZKY_PORTAL_CLIENT_SECRET, which its environment lacks',
    ]);
  });

  it('disagree when a public host name does not resolve to Traefik inside the network', () => {
    const w = wiring();
    const networks = w.compose.services.traefik!.networks as { default: { aliases: string[] } };
    networks.default.aliases = networks.default.aliases.filter((a) => a !== 'auth.localhost');
    expect(wiringProblems(w)).toEqual(['traefik: auth.localhost must be one of its network aliases, for the containers that reach it by that name']);
  });
});

describe('the API’s replicas behind Traefik', () => {
  it('are each a health-checked server, unsticky, with event streams flushed and not compressed', () => {
    expect(replicaProblems(composeFile(), traefikFile())).toEqual([]);
  });

  it('are caught when Traefik lists fewer servers than there are replicas, or sticks', () => {
    const compose = composeCopy();
    (compose.services['platform-api']!.deploy as { replicas: number }).replicas = 3;
    const traefik = structuredClone(traefikFile());
    traefik.http!.services!['platform-api']!.loadBalancer!.sticky = { cookie: {} };
    expect(replicaProblems(compose, traefik)).toEqual([
      expect.stringMatching(/^traefik\/dynamic\.yml: the API's servers must be http:\/\/dezky-platform-api-1:3001, http:\/\/dezky-platform-api-2:3001, http:\/\/dezky-platform-api-3:3001/),
      'traefik/dynamic.yml: no sticky sessions for the API',
    ]);
  });

  it('are caught when a replica would keep a fixed name or host port', () => {
    const compose = composeCopy();
    Object.assign(compose.services['platform-api']!, { container_name: 'dezky-platform-api', ports: ['3001:3001'] });
    expect(replicaProblems(compose, traefikFile())).toEqual([
      'platform-api: container_name would forbid a second replica',
      'platform-api: a host port would forbid a second replica; Traefik reaches it on the network',
    ]);
  });

  it('are caught when event streams would be compressed, buffered or flushed late, or the rate limit is gone', () => {
    const traefik = structuredClone(traefikFile());
    const http = traefik.http!;
    http.middlewares!.compress = { compress: { excludedContentTypes: ['application/grpc'] } };
    http.middlewares!.buffer = { buffering: { maxResponseBodyBytes: 1_000_000 } };
    http.routers!.api!.middlewares = ['security-headers', 'compress', 'buffer'];
    http.services!['platform-api']!.loadBalancer!.responseForwarding = { flushInterval: '1s' };
    expect(replicaProblems(composeFile(), traefik)).toEqual([
      "traefik/dynamic.yml: the API's responseForwarding.flushInterval must be at most 200ms (event streams), not 1s",
      'traefik/dynamic.yml: compress would compress text/event-stream',
      "traefik/dynamic.yml: buffer buffers the API's responses, event streams included",
      "traefik/dynamic.yml: the API's route has no rateLimit middleware",
    ]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FULL_VALUES,
  K8sObject,
  NAMESPACE,
  find,
  helmLint,
  helmNotes,
  helmTemplate,
  kubeconform,
  objects,
  shippedSchemaKinds,
} from '../src/helm.js';
import { goTool, pinnedVersion } from '../src/tools.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
type Probe = Record<string, unknown> & { httpGet?: { path: string; port: string | number } };
interface Container {
  name: string;
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  volumes?: Record<string, unknown>[];
}
type Deployment = K8sObject & {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

/** The API's configuration variables the chart sets (services/platform-api/src/config/app-config.ts). */
const API_ENV = [
  'PORT', 'HOST', 'MONGO_URL', 'APP_ENV', 'AUTHENTIK_ISSUERS', 'AUTHENTIK_AUDIENCE', 'PLATFORM_ADMIN_EMAILS',
  'EVENT_STREAM_SECRET', 'AUTHENTIK_API_URL', 'AUTHENTIK_API_TOKEN', 'TRUSTED_PROXIES', 'RATE_LIMIT_PER_IP',
  'RATE_LIMIT_PER_SUBJECT', 'RATE_LIMIT_EVALUATION', 'ACCESS_LOG', 'LOG_LEVEL', 'METRICS_PORT', 'SHUTDOWN_DRAIN_MS',
];
/** Variables whose values are secrets: only ever read from a Secret. */
const SECRET_ENV = ['MONGO_URL', 'EVENT_STREAM_SECRET', 'AUTHENTIK_API_TOKEN', 'NUXT_SESSION_PASSWORD', 'NUXT_OAUTH_OIDC_CLIENT_SECRET'];

function rendered(valuesFiles: string[] = [], set: string[] = []): { manifests: string; all: K8sObject[] } {
  const result = helmTemplate(valuesFiles, set);
  expect(result.stderr, 'helm template').toBe('');
  expect(result.status, `helm template failed:\n${result.stderr}`).toBe(0);
  return { manifests: result.stdout, all: objects(result.stdout) };
}

function container(deployment: Deployment): Container {
  const [first] = deployment.spec.template.spec.containers;
  if (!first) throw new Error(`${deployment.metadata.name} has no container`);
  return first;
}

function env(c: Container, name: string): EnvVar {
  const found = c.env?.find((e) => e.name === name);
  if (!found) throw new Error(`${c.name} has no ${name}; it has ${(c.env ?? []).map((e) => e.name).join(', ')}`);
  return found;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The kubeconform summary's counts. */
function summary(output: string): Record<'found' | 'valid' | 'invalid' | 'errors' | 'skipped', number> {
  const m = /Summary: (\d+) resources? found .* - Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(output);
  if (!m) throw new Error(`no kubeconform summary in:\n${output}`);
  const [found, valid, invalid, errors, skipped] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { found, valid, invalid, errors, skipped };
}

function valuesFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dezky-values-')), 'values.yaml');
  writeFileSync(file, content);
  return file;
}

describe('the tools scripts/go-tools.sh builds', () => {
  it('are in .toolchain/bin at the pinned versions', () => {
    expect(execFileSync(goTool('helm'), ['version', '--short'], { encoding: 'utf8' }).trim()).toBe(pinnedVersion('helm'));
    expect(execFileSync(goTool('kubeconform'), ['-v'], { encoding: 'utf8' }).trim()).toBe(pinnedVersion('kubeconform'));
  });
});

describe('helm lint --strict', () => {
  for (const [label, files] of [['default values', []], ['full values', [FULL_VALUES]]] as const) {
    it(`passes with the ${label}, with no finding but the icon's`, () => {
      const result = helmLint([...files]);
      const output = result.stdout + result.stderr;
      expect(result.status, output).toBe(0);
      const findings = output.split('\n').filter((line) => /^\[(INFO|WARNING|ERROR)\]/.test(line));
      expect(findings).toEqual(['[INFO] Chart.yaml: icon is recommended']);
    });
  }
});

describe('the rendered manifests', () => {
  for (const [label, files] of [['default values', []], ['full values', [FULL_VALUES]]] as const) {
    it(`are valid for kubeconform -strict with the ${label}, each kind against a shipped schema`, () => {
      const { manifests, all } = rendered([...files]);
      const result = kubeconform(manifests);
      const output = result.stdout + result.stderr;
      expect(result.status, output).toBe(0);
      expect(summary(output)).toEqual({ found: all.length, valid: all.length, invalid: 0, errors: 0, skipped: 0 });
      for (const o of all) expect(shippedSchemaKinds(), `${o.kind} ${o.apiVersion}`).toContain(`${o.kind} ${o.apiVersion}`);
    });
  }

  it('with the full values are of exactly the kinds deploy/schemas/kubernetes has schemas for', () => {
    const kinds = new Set(rendered([FULL_VALUES]).all.map((o) => `${o.kind} ${o.apiVersion}`));
    expect([...kinds].sort()).toEqual(shippedSchemaKinds().sort());
  });
});

describe('platform-api', () => {
  let all: K8sObject[];
  let api: Deployment;
  beforeAll(() => {
    all = rendered().all;
    api = find(all, 'Deployment', 'dezky-api') as Deployment;
  });

  it('runs at least 2 replicas', () => {
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('is ready on GET /health/ready and alive on GET /health/live, neither of which waits on MongoDB', () => {
    const c = container(api);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(c.ports).toContainEqual({ name: 'http', containerPort: 3001, protocol: 'TCP' });
    // /health answers 503 while MongoDB is down: as a probe it would empty the Service (or
    // restart every pod) during an outage the API rides out from memory.
    expect([c.readinessProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path, c.startupProbe?.httpGet?.path]).not.toContain('/health');
  });

  it('exposes the metrics port as container port "metrics", and the Service both ports', () => {
    const c = container(api);
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
    expect(env(c, 'METRICS_PORT').value).toBe('9464');
    const service = find(all, 'Service', 'dezky-api') as K8sObject & { spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] } };
    expect(selects(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'http', port: 3001, targetPort: 'http' }),
        expect.objectContaining({ name: 'metrics', port: 9464, targetPort: 'metrics' }),
      ]),
    );
  });

  it('has CPU and memory requests and limits', () => {
    const { resources } = container(api);
    for (const bound of ['requests', 'limits'] as const) {
      expect(Object.keys(resources?.[bound] ?? {}).sort(), bound).toEqual(['cpu', 'memory']);
    }
  });

  it('runs as a non-root user on a read-only root filesystem, without privileges', () => {
    expect(api.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container(api).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it("sets the API's configuration variables, for production", () => {
    const c = container(api);
    expect((c.env ?? []).map((e) => e.name).sort()).toEqual([...API_ENV].filter((n) => n !== 'AUTHENTIK_API_URL').sort());
    expect(env(c, 'HOST').value).toBe('0.0.0.0');
    expect(env(c, 'PORT').value).toBe('3001');
    expect(env(c, 'APP_ENV').value).toBe('production');
    expect(env(c, 'AUTHENTIK_AUDIENCE').value).toBe('dezky-portal,dezky-operator');
    expect(env(c, 'MONGO_URL').valueFrom?.secretKeyRef).toEqual({ name: 'dezky-platform-api', key: 'MONGO_URL' });
    expect(env(c, 'AUTHENTIK_API_TOKEN').valueFrom?.secretKeyRef).toMatchObject({ optional: true });
  });

  it('drains before it stops: SHUTDOWN_DRAIN_MS outlasts the readiness probe, and the grace period outlasts the drain', () => {
    const c = container(api);
    const drainMs = Number(env(c, 'SHUTDOWN_DRAIN_MS').value);
    const probe = c.readinessProbe as { periodSeconds: number; failureThreshold: number };
    expect(drainMs).toBeGreaterThan(probe.periodSeconds * probe.failureThreshold * 1000);
    const grace = (api.spec.template.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds;
    expect(grace).toBeGreaterThan(drainMs / 1000);
  });

  it('sets AUTHENTIK_API_URL and the lists from values', () => {
    const full = find(rendered([FULL_VALUES]).all, 'Deployment', 'dezky-api') as Deployment;
    const c = container(full);
    expect((c.env ?? []).map((e) => e.name).sort()).toEqual([...API_ENV].sort());
    expect(env(c, 'AUTHENTIK_API_URL').value).toBe('https://auth.dezky.example.com');
    expect(env(c, 'AUTHENTIK_ISSUERS').value).toBe(
      'https://auth.dezky.example.com/application/o/dezky-portal/,https://auth.dezky.example.com/application/o/dezky-operator/',
    );
  });

  it('has a PodDisruptionBudget and, with autoscaling on, a CPU HorizontalPodAutoscaler owning the replica count', () => {
    const full = rendered([FULL_VALUES]).all;
    const deployment = find(full, 'Deployment', 'dezky-api') as Deployment;
    const podLabels = deployment.spec.template.metadata.labels;
    const pdb = find(full, 'PodDisruptionBudget', 'dezky-api') as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } };
    expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    for (const other of ['dezky-operator', 'dezky-portal']) {
      const labels = (find(full, 'Deployment', other) as Deployment).spec.template.metadata.labels;
      expect(selects(pdb.spec.selector.matchLabels, labels), `the PDB selects ${other}'s pods`).toBe(false);
    }
    expect(pdb.spec.maxUnavailable).toBe(1);
    const hpa = find(full, 'HorizontalPodAutoscaler', 'dezky-api') as K8sObject & {
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; metrics: { resource: { name: string } }[] };
    };
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'dezky-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
    expect(deployment.spec.replicas).toBeUndefined();
    expect(find(rendered().all, 'Deployment', 'dezky-api').spec).toHaveProperty('replicas', 2);
    expect(rendered().all.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });
});

describe('secrets', () => {
  for (const [label, files] of [['default values', []], ['full values', [FULL_VALUES]]] as const) {
    it(`are only referenced (secretKeyRef), never rendered, with the ${label}`, () => {
      const { all } = rendered([...files]);
      expect(all.filter((o) => o.kind === 'Secret')).toEqual([]);
      const deployments = all.filter((o) => o.kind === 'Deployment') as Deployment[];
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['dezky-api', 'dezky-operator', 'dezky-portal']);
      for (const d of deployments) {
        for (const e of container(d).env ?? []) {
          if (SECRET_ENV.includes(e.name) || /SECRET|PASSWORD|TOKEN/.test(e.name)) {
            expect(e.value, `${d.metadata.name} ${e.name}`).toBeUndefined();
            expect(e.valueFrom?.secretKeyRef?.name, `${d.metadata.name} ${e.name}`).toMatch(/^dezky-/);
          }
        }
      }
    });
  }
});

describe('the operator app and the customer portal', () => {
  it('call the API Service by its in-cluster URL and read their secrets from their Secrets', () => {
    const { all } = rendered();
    for (const app of ['operator', 'portal']) {
      const c = container(find(all, 'Deployment', `dezky-${app}`) as Deployment);
      expect(env(c, 'NUXT_PLATFORM_API_URL').value).toBe(`http://dezky-api.${NAMESPACE}.svc.cluster.local:3001`);
      expect(env(c, 'NUXT_OAUTH_OIDC_CLIENT_ID').value).toBe(`dezky-${app}`);
      expect(env(c, 'APP_ENV').value).toBe('production');
      expect(env(c, 'NUXT_OAUTH_OIDC_OPENID_CONFIG')).toHaveProperty('value');
      expect(env(c, 'NUXT_SESSION_STORE_DIR').value).toBe('/var/lib/dezky/sessions');
      expect(env(c, 'NUXT_SESSION_PASSWORD').valueFrom?.secretKeyRef).toEqual({ name: `dezky-${app}`, key: 'NUXT_SESSION_PASSWORD' });
      expect(env(c, 'NUXT_OAUTH_OIDC_CLIENT_SECRET').valueFrom?.secretKeyRef).toEqual({ name: `dezky-${app}`, key: 'NUXT_OAUTH_OIDC_CLIENT_SECRET' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/api/health', port: 'http' });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    }
  });

  it('send Authentik back to their public callback, https where the Ingress has TLS for their host, or where values say', () => {
    for (const app of ['operator', 'portal']) {
      const plain = container(find(rendered().all, 'Deployment', `dezky-${app}`) as Deployment);
      expect(env(plain, 'NUXT_OAUTH_OIDC_REDIRECT_URL').value).toBe(`http://${app}.dezky.example.com/auth/oidc/callback`);
      const tls = container(find(rendered([FULL_VALUES]).all, 'Deployment', `dezky-${app}`) as Deployment);
      expect(env(tls, 'NUXT_OAUTH_OIDC_REDIRECT_URL').value).toBe(`https://${app}.dezky.example.com/auth/oidc/callback`);
    }
    const given = container(find(rendered([], ['operator.oidc.redirectUrl=https://ops.example.org/auth/oidc/callback']).all, 'Deployment', 'dezky-operator') as Deployment);
    expect(env(given, 'NUXT_OAUTH_OIDC_REDIRECT_URL').value).toBe('https://ops.example.org/auth/oidc/callback');
  });

  it('keep sessions in an emptyDir with 1 replica, and in a ReadWriteMany claim with more', () => {
    const sessions = (d: Deployment) => d.spec.template.spec.volumes?.find((v) => v.name === 'sessions');
    expect(sessions(find(rendered().all, 'Deployment', 'dezky-operator') as Deployment)).toEqual({ name: 'sessions', emptyDir: {} });
    const full = rendered([FULL_VALUES]).all;
    const operator = find(full, 'Deployment', 'dezky-operator') as Deployment;
    expect(operator.spec.replicas).toBe(2);
    expect(sessions(operator)).toEqual({ name: 'sessions', persistentVolumeClaim: { claimName: 'dezky-operator-sessions' } });
    expect(find(full, 'PersistentVolumeClaim', 'dezky-operator-sessions').spec).toMatchObject({ accessModes: ['ReadWriteMany'] });
  });

  it('refuse more than 1 replica without a ReadWriteMany session store', () => {
    const result = helmTemplate([], ['operator.replicas=2']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('operator.replicas is 2: every replica must see the same session store');
    const rwo = helmTemplate([], ['portal.replicas=3', 'portal.sessionStore.persistence.enabled=true']);
    expect(rwo.status).not.toBe(0);
    expect(rwo.stderr).toContain('portal.sessionStore.persistence must be enabled with accessModes [ReadWriteMany]');
  });
});

describe('the Ingress', () => {
  it('routes the three hosts to their Services, over TLS, without buffering event streams', () => {
    const all = rendered([FULL_VALUES]).all;
    const ingress = find(all, 'Ingress', 'dezky') as K8sObject & {
      spec: {
        ingressClassName: string;
        tls: { secretName: string; hosts: string[] }[];
        rules: { host: string; http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[];
      };
    };
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    const routes = Object.fromEntries(ingress.spec.rules.map((r) => [r.host, r.http.paths.map((p) => [p.path, p.backend.service.name, p.backend.service.port.name])]));
    expect(routes).toEqual({
      'api.dezky.example.com': [['/', 'dezky-api', 'http']],
      'operator.dezky.example.com': [['/', 'dezky-operator', 'http']],
      'portal.dezky.example.com': [['/', 'dezky-portal', 'http']],
    });
    for (const name of ['dezky-api', 'dezky-operator', 'dezky-portal']) {
      const ports = (find(all, 'Service', name).spec as { ports: { name: string }[] }).ports.map((p) => p.name);
      expect(ports, name).toContain('http');
    }
    expect(ingress.spec.tls).toEqual([{ secretName: 'dezky-tls', hosts: Object.keys(routes) }]);
  });

  it('is not rendered by default', () => {
    expect(rendered().all.filter((o) => o.kind === 'Ingress')).toEqual([]);
  });
});

describe('NOTES.txt', () => {
  it('names the Secrets to create, says MongoDB is an external replica set, and that event streams must not be buffered', () => {
    const notes = helmNotes([FULL_VALUES]);
    expect(notes).toContain('dezky-platform-api: MONGO_URL (MongoDB replica set URL), EVENT_STREAM_SECRET (32+ characters), AUTHENTIK_API_TOKEN (optional)');
    expect(notes).toContain('dezky-operator: NUXT_SESSION_PASSWORD, NUXT_OAUTH_OIDC_CLIENT_SECRET');
    expect(notes).toContain('dezky-portal: NUXT_SESSION_PASSWORD, NUXT_OAUTH_OIDC_CLIENT_SECRET');
    expect(notes).toContain('MongoDB is external and must be a replica set');
    expect(notes).toContain('http://dezky-api.dezky.svc.cluster.local:3001');
    expect(notes).toContain('https://portal.dezky.example.com');
    expect(notes).toContain('proxy-buffering "off"');
    expect(helmNotes()).toContain('kubectl -n dezky port-forward svc/dezky-api 3001');
  });

  it('warns about the settings without which nobody can sign in, and only while they are missing', () => {
    const bare = helmNotes();
    expect(bare).toContain('WARNING: not set yet:');
    expect(bare).toContain('api.env.authentikIssuers (the API refuses every token without them)');
    expect(bare).toContain('operator.oidc.openidConfig (sign-in fails without it)');
    expect(bare).toContain('portal.oidc.openidConfig (sign-in fails without it)');
    expect(helmNotes([FULL_VALUES])).not.toContain('WARNING');
  });
});

describe('the check fails', () => {
  it('when helm or kubeconform is missing, or another version, saying how to build it', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'dezky-bin-'));
    expect(() => goTool('helm', empty)).toThrow(`helm ${pinnedVersion('helm')} is not in ${empty}: build it with: bash scripts/go-tools.sh`);
    expect(() => goTool('kubeconform', empty)).toThrow(`kubeconform ${pinnedVersion('kubeconform')} is not in ${empty}`);
    writeFileSync(path.join(empty, 'helm'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(empty, '.helm.version'), 'v3.0.0\n-s -w\n');
    expect(() => goTool('helm', empty)).toThrow(`${path.join(empty, 'helm')} is v3.0.0, scripts/go-tools.sh pins ${pinnedVersion('helm')}`);
  });

  it('when a value does not fit the schema: replicas "two"', () => {
    const { manifests } = rendered([valuesFile('api:\n  replicas: two\n')]);
    const result = kubeconform(manifests);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/Deployment dezky-api is invalid: .*replicas/);
    expect(summary(result.stdout).invalid).toBe(1);
  });

  it('when a port is not a number', () => {
    const { manifests } = rendered([valuesFile('api:\n  metricsPort: metrics-port\n')]);
    const result = kubeconform(manifests);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/Deployment dezky-api is invalid: .*containerPort/);
    expect(result.stdout).toMatch(/Service dezky-api is invalid/);
  });

  it('when an object has a field its kind does not have (strict schemas)', () => {
    const { manifests } = rendered([valuesFile('api:\n  resources:\n    request:\n      cpu: 100m\n')]);
    const result = kubeconform(manifests);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/Deployment dezky-api is invalid: .*additional properties 'request' not allowed/);
  });

  it('when a PrometheusRule has a field the CRD does not have', () => {
    const { manifests } = rendered([FULL_VALUES]);
    const broken = manifests.replace('          for: 2m\n', '          forr: 2m\n');
    expect(broken).not.toBe(manifests);
    const result = kubeconform(broken);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/PrometheusRule dezky-api is invalid: .*forr/);
  });

  it('when a kind has no schema in the repository', () => {
    const result = kubeconform('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/could not find schema for Widget/);
  });
});

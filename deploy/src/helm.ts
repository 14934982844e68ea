import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DEPLOY } from './paths.js';
import { goTool } from './tools.js';

/** The chart. */
export const CHART = path.join(DEPLOY, 'helm/dezky');
/** The values that switch on everything the chart can render. */
export const FULL_VALUES = path.join(CHART, 'ci/full-values.yaml');
/** The Kubernetes version whose schemas deploy/schemas/kubernetes ships, and the chart is checked against. */
export const KUBERNETES_VERSION = '1.37.0';
/** The schemas kubeconform reads: Kubernetes' own kinds, then the CRDs' (no download: nothing else). */
export const SCHEMA_LOCATIONS = [
  path.join(DEPLOY, 'schemas/kubernetes/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'),
  path.join(DEPLOY, 'schemas/kubernetes/crds/{{ .ResourceKind }}{{ .KindSuffix }}.json'),
];
const SCHEMA_FOLDERS = [`v${KUBERNETES_VERSION}-standalone-strict`, 'crds'].map((f) => path.join(DEPLOY, 'schemas/kubernetes', f));

/** "Kind apiVersion" of each schema deploy/schemas/kubernetes ships for that version and for the CRDs. */
export function shippedSchemaKinds(): string[] {
  return SCHEMA_FOLDERS.flatMap((folder) =>
    readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const schema = JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as {
          properties: { kind: { enum: string[] }; apiVersion: { enum: string[] } };
        };
        return `${schema.properties.kind.enum.join('|')} ${schema.properties.apiVersion.enum.join('|')}`;
      }),
  );
}

export const RELEASE = 'dezky';
export const NAMESPACE = 'dezky';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], input?: string): Run {
  const result = spawnSync(binary, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** helm lint --strict of the chart, with these values files on top of its own. */
export function helmLint(valuesFiles: string[] = []): Run {
  return run(goTool('helm'), ['lint', CHART, '--strict', ...valuesFiles.flatMap((f) => ['--values', f])]);
}

/** helm template of the chart as release "dezky" in namespace "dezky", with these values files and --set values. */
export function helmTemplate(valuesFiles: string[] = [], set: string[] = []): Run {
  return run(goTool('helm'), [
    'template', RELEASE, CHART,
    '--namespace', NAMESPACE,
    '--kube-version', KUBERNETES_VERSION,
    ...valuesFiles.flatMap((f) => ['--values', f]),
    ...set.flatMap((s) => ['--set', s]),
  ]);
}

/**
 * The chart's NOTES.txt as helm install prints it, with these values files. helm template leaves
 * NOTES.txt out, so a copy of the chart renders it through a template of its own.
 */
export function helmNotes(valuesFiles: string[] = []): string {
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'dezky-chart-')), 'dezky');
  try {
    cpSync(CHART, copy, { recursive: true });
    renameSync(path.join(copy, 'templates/NOTES.txt'), path.join(copy, 'NOTES.source'));
    writeFileSync(path.join(copy, 'templates/notes.yaml'), 'notes: {{ tpl (.Files.Get "NOTES.source") . | toJson }}\n');
    const result = run(goTool('helm'), [
      'template', RELEASE, copy, '--namespace', NAMESPACE, '--kube-version', KUBERNETES_VERSION,
      '--show-only', 'templates/notes.yaml', ...valuesFiles.flatMap((f) => ['--values', f]),
    ]);
    if (result.status !== 0) throw new Error(`rendering NOTES.txt failed:\n${result.stderr}`);
    return (parse(result.stdout) as { notes: string }).notes;
  } finally {
    rmSync(path.dirname(copy), { recursive: true, force: true });
  }
}

/** kubeconform -strict of these manifests against the repository's schemas only. */
export function kubeconform(manifests: string): Run {
  return run(
    goTool('kubeconform'),
    ['-strict', '-summary', '-kubernetes-version', KUBERNETES_VERSION, ...SCHEMA_LOCATIONS.flatMap((l) => ['-schema-location', l]), '-'],
    manifests,
  );
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The objects of a multi-document YAML stream (empty documents left out); throws on a YAML error. */
export function objects(manifests: string): K8sObject[] {
  return parseAllDocuments(manifests).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`rendered YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

/** The one object of this kind and name, as the caller's type for it; throws naming what there is otherwise. */
export function find<T = K8sObject>(all: K8sObject[], kind: string, name: string): T {
  const found = all.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}; rendered: ${all.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as unknown as T;
}

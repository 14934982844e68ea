// Writes the JSON schemas kubeconform validates the Helm chart's manifests against (README.md).
//
//   node update.mjs kubernetes <kubernetes-validate's kubernetes-json-schema/vX.Y.Z-local-strict folder>
//     one self-contained schema per kind the chart renders, into vX.Y.Z-standalone-strict/
//   node update.mjs crd <CustomResourceDefinition YAML>...
//     one strict schema per CRD version, from its openAPIV3Schema, into crds/
//
// Both layouts are kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json: the lower-cased kind,
// then "-" and the first label of the API group (none for the core group), then "-" and the version.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The kinds the chart renders (deploy/helm/dezky/templates), as kubeconform names their schema files. */
export const KINDS = [
  'deployment-apps-v1',
  'service-v1',
  'serviceaccount-v1',
  'persistentvolumeclaim-v1',
  'ingress-networking-v1',
  'poddisruptionbudget-policy-v1',
  'horizontalpodautoscaler-autoscaling-v2',
];

const DEFINITIONS_REF = '/api/_definitions.json#/$defs/';

/** Each name under $defs that a schema refers to, wherever the reference is written. */
function refs(node, out = new Set()) {
  if (Array.isArray(node)) {
    for (const item of node) refs(item, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const at = value.indexOf('#/$defs/');
        if (at >= 0) out.add(value.slice(at + '#/$defs/'.length));
      } else {
        refs(value, out);
      }
    }
  }
  return out;
}

/** The same schema with every reference into _definitions.json pointing into its own $defs. */
function localRefs(node) {
  if (Array.isArray(node)) return node.map(localRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith(DEFINITIONS_REF)
        ? [key, `#/$defs/${value.slice(DEFINITIONS_REF.length)}`]
        : [key, localRefs(value)],
    ),
  );
}

function kubernetes(source) {
  const version = path.basename(source).match(/^(v\d+\.\d+\.\d+)-local-strict$/)?.[1];
  if (!version) throw new Error(`expected a folder named vX.Y.Z-local-strict, got ${source}`);
  const definitions = JSON.parse(readFileSync(path.join(source, '_definitions.json'), 'utf8')).$defs;
  const target = path.join(HERE, `${version}-standalone-strict`);
  mkdirSync(target, { recursive: true });
  for (const kind of KINDS) {
    const schema = JSON.parse(readFileSync(path.join(source, `${kind}.json`), 'utf8'));
    delete schema.$id;
    const needed = new Set();
    const pending = [...refs(schema)];
    while (pending.length > 0) {
      const name = pending.pop();
      if (needed.has(name)) continue;
      if (!definitions[name]) throw new Error(`${kind}: no definition ${name}`);
      needed.add(name);
      pending.push(...refs(definitions[name]));
    }
    const $defs = Object.fromEntries([...needed].sort().map((name) => [name, definitions[name]]));
    writeFileSync(path.join(target, `${kind}.json`), `${JSON.stringify(localRefs({ ...schema, $defs }), null, 2)}\n`);
    console.log(`${kind}.json: ${needed.size} definitions`);
  }
}

/**
 * openAPIV3Schema as kubeconform's strict schemas are: objects that list their properties take no
 * others (unless the CRD preserves unknown fields there), and int-or-string fields take either.
 */
function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, strict(value)]));
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.properties && !('additionalProperties' in out) && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function crd(files) {
  const target = path.join(HERE, 'crds');
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8'));
    if (doc?.kind !== 'CustomResourceDefinition') throw new Error(`${file} is not a CustomResourceDefinition`);
    const { group, names } = doc.spec;
    for (const version of doc.spec.versions) {
      const schema = strict(version.schema.openAPIV3Schema);
      schema.properties.apiVersion = { ...schema.properties.apiVersion, enum: [`${group}/${version.name}`] };
      schema.properties.kind = { ...schema.properties.kind, enum: [names.kind] };
      const name = `${names.kind.toLowerCase()}-${group.split('.')[0]}-${version.name}.json`;
      writeFileSync(
        path.join(target, name),
        `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`,
      );
      console.log(`crds/${name}`);
    }
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === 'kubernetes' && args.length === 1) kubernetes(args[0]);
else if (command === 'crd' && args.length > 0) crd(args);
else {
  console.error('usage: node update.mjs kubernetes <vX.Y.Z-local-strict folder> | crd <crd.yaml>...');
  process.exit(2);
}

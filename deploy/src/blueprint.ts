import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, type Tags, visit } from 'yaml';
import { DEPLOY } from './paths.js';

/** The Authentik blueprint of the platform's applications, as docker-compose.yml mounts it. */
export const BLUEPRINT_FILE = path.join(DEPLOY, 'authentik/dezky.yaml');

/**
 * The YAML tags of Authentik's blueprint format
 * (https://docs.goauthentik.io/customize/blueprints/v1/tags/): each on a scalar, a sequence or a map.
 */
export const AUTHENTIK_TAGS = [
  'KeyOf',
  'Env',
  'Find',
  'FindObject',
  'Context',
  'Format',
  'Condition',
  'If',
  'Enumerate',
  'Index',
  'Value',
  'AtIndex',
  'ParseJSON',
  'File',
] as const;

const customTags: Tags = AUTHENTIK_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]) as Tags;

export interface BlueprintEntry {
  model: string;
  id?: string;
  state?: string;
  identifiers?: Record<string, unknown>;
  attrs?: Record<string, unknown>;
}

export interface Blueprint {
  /** The parsed document, tags kept on its nodes. */
  document: Document;
  /** The document's plain values; a tagged value is its untagged content (a !KeyOf's id, a !Env's name...). */
  value: { version?: unknown; metadata?: { name?: unknown }; entries?: BlueprintEntry[] };
}

/** A blueprint's text, parsed with Authentik's tags; an unknown tag is an error. */
export function parseBlueprint(text: string): Blueprint {
  const document = parseDocument(text, { customTags, prettyErrors: false });
  const problems = [...document.errors, ...document.warnings].map((e) => e.message);
  if (problems.length) throw new Error(`Not a blueprint Authentik reads: ${problems.join('; ')}`);
  return { document, value: document.toJS() as Blueprint['value'] };
}

export function blueprintFile(file = BLUEPRINT_FILE): Blueprint {
  return parseBlueprint(readFileSync(file, 'utf8'));
}

/** The nodes under `node` carrying the tag `!<name>`, in document order. */
export function taggedNodes(node: unknown, name: string): Node[] {
  const found: Node[] = [];
  visit(node as Node, {
    Node(_, n) {
      if (n.tag === `!${name}`) found.push(n);
    },
  });
  return found;
}

/** The names a blueprint reads with !Env (`!Env NAME` or `!Env [NAME, default]`). */
export function envNames(blueprint: Blueprint): string[] {
  return [
    ...new Set(
      taggedNodes(blueprint.document.contents, 'Env').map((n) => {
        const json = n.toJSON() as unknown;
        return String(Array.isArray(json) ? json[0] : json);
      }),
    ),
  ];
}

/**
 * What is wrong with a blueprint's shape, one line each: version 1, a list of entries each naming a
 * model, with identifiers (the meta models name theirs in attrs) and mappings for attrs, unique ids,
 * and every !KeyOf naming the id of an entry before its own (Authentik resolves them in order).
 */
export function blueprintProblems(blueprint: Blueprint): string[] {
  const problems: string[] = [];
  const { value, document } = blueprint;
  if (value.version !== 1) problems.push(`version must be 1, not ${JSON.stringify(value.version)}`);
  const entriesNode = document.get('entries', true);
  if (!isSeq(entriesNode) || !Array.isArray(value.entries) || value.entries.length === 0) {
    problems.push('entries must be a non-empty list');
    return problems;
  }
  const defined = new Set<string>();
  entriesNode.items.forEach((node, i) => {
    const entry = value.entries![i];
    const where = `entries[${i}]`;
    if (!isMap(node) || typeof entry !== 'object' || entry === null) {
      problems.push(`${where} must be a mapping`);
      return;
    }
    if (typeof entry.model !== 'string' || !/^authentik_[a-z0-9_]+\.[a-z0-9]+$/.test(entry.model)) {
      problems.push(`${where}: model must name an Authentik model (authentik_<app>.<model>), not ${JSON.stringify(entry.model)}`);
    }
    const meta = typeof entry.model === 'string' && entry.model.startsWith('authentik_blueprints.meta');
    const identifiers = meta ? (entry.attrs as { identifiers?: unknown } | undefined)?.identifiers : entry.identifiers;
    if (typeof identifiers !== 'object' || identifiers === null || Object.keys(identifiers).length === 0) {
      problems.push(`${where} (${entry.model}): ${meta ? 'attrs.identifiers' : 'identifiers'} must name the object`);
    }
    if (entry.attrs !== undefined && (typeof entry.attrs !== 'object' || entry.attrs === null || Array.isArray(entry.attrs))) {
      problems.push(`${where} (${entry.model}): attrs must be a mapping`);
    }
    if (entry.state !== undefined && !['present', 'created', 'must_created', 'absent'].includes(entry.state)) {
      problems.push(`${where} (${entry.model}): state must be present, created, must_created or absent`);
    }
    for (const ref of taggedNodes(node, 'KeyOf')) {
      const id = isScalar(ref) ? String(ref.value) : JSON.stringify(ref.toJSON());
      if (!defined.has(id)) problems.push(`${where} (${entry.model}): !KeyOf ${id} names no entry before it`);
    }
    if (entry.id !== undefined) {
      if (defined.has(entry.id)) problems.push(`${where} (${entry.model}): id ${entry.id} is used twice`);
      defined.add(entry.id);
    }
  });
  return problems;
}

/** A redirect URI of an OAuth2 provider, as Authentik 2024.10 and later store them. */
export interface RedirectUri {
  matching_mode: string;
  redirect_uri_type?: string;
  url: string;
}

/** One OpenID Connect client of a blueprint: its provider, and the application that issues for it. */
export interface BlueprintClient {
  slug: string;
  clientId: unknown;
  issuerMode: unknown;
  redirectUris: RedirectUri[];
}

/** The blueprint's applications with their OAuth2 providers (through the application's !KeyOf provider). */
export function blueprintClients(blueprint: Blueprint): BlueprintClient[] {
  const entries = blueprint.value.entries ?? [];
  const byId = new Map(entries.filter((e) => e.id).map((e) => [e.id!, e]));
  return entries
    .filter((e) => e.model === 'authentik_core.application')
    .map((app) => {
      const provider = byId.get(String(app.attrs?.provider));
      const attrs = provider?.model === 'authentik_providers_oauth2.oauth2provider' ? (provider.attrs ?? {}) : {};
      return {
        slug: String(app.identifiers?.slug ?? app.attrs?.slug),
        clientId: attrs.client_id,
        issuerMode: attrs.issuer_mode,
        redirectUris: Array.isArray(attrs.redirect_uris) ? (attrs.redirect_uris as RedirectUri[]) : [],
      };
    });
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLUEPRINT_FILE, blueprintClients, blueprintFile, blueprintProblems, envNames, parseBlueprint } from '../src/blueprint.js';

const text = () => readFileSync(BLUEPRINT_FILE, 'utf8');

describe('deploy/authentik/dezky.yaml', () => {
  it('parses with Authentik’s tags, in the shape of a version 1 blueprint', () => {
    const blueprint = blueprintFile();
    expect(blueprint.value.version).toBe(1);
    expect(blueprintProblems(blueprint)).toEqual([]);
  });

  it('creates the two confidential clients, one issuer each, with the platform’s scopes', () => {
    const blueprint = blueprintFile();
    expect(blueprintClients(blueprint).map((c) => [c.slug, c.clientId, c.issuerMode])).toEqual([
      ['dezky-operator', 'dezky-operator', 'per_provider'],
      ['dezky-portal', 'dezky-portal', 'per_provider'],
    ]);
    const providers = blueprint.value.entries!.filter((e) => e.model === 'authentik_providers_oauth2.oauth2provider');
    for (const provider of providers) {
      expect(provider.attrs).toMatchObject({ client_type: 'confidential', authorization_flow: expect.anything(), invalidation_flow: expect.anything(), signing_key: expect.anything() });
      // !Find [model, [field, value]]: the managed mappings by their identifiers.
      const mappings = JSON.stringify(provider.attrs!.property_mappings);
      for (const scope of ['openid', 'profile', 'offline_access']) expect(mappings).toContain(`goauthentik.io/providers/oauth2/scope-${scope}`);
      expect(mappings).toContain('scope-email-verified');
    }
  });

  it('reads its secrets and the administrator from the environment, never from the file', () => {
    const blueprint = blueprintFile();
    expect(envNames(blueprint).sort()).toEqual(['DEZKY_ADMIN_EMAIL', 'DEZKY_ADMIN_PASSWORD', 'DEZKY_OPERATOR_CLIENT_SECRET', 'DEZKY_PORTAL_CLIENT_SECRET']);
    const user = blueprint.value.entries!.find((e) => e.model === 'authentik_core.user');
    expect(user?.attrs).toMatchObject({ email: 'DEZKY_ADMIN_EMAIL', password: 'DEZKY_ADMIN_PASSWORD' });
  });

  it('is refused with a tag Authentik does not have', () => {
    expect(() => parseBlueprint(text().replace('provider: !KeyOf provider-portal', 'provider: !Keyof provider-portal'))).toThrow(/Unresolved tag: !Keyof/);
  });

  it('is refused when a !KeyOf names no entry, or one defined after it', () => {
    const unknown = parseBlueprint(text().replace('provider: !KeyOf provider-portal', 'provider: !KeyOf provider-customer'));
    expect(blueprintProblems(unknown)).toEqual([expect.stringMatching(/^entries\[\d+\] \(authentik_core\.application\): !KeyOf provider-customer names no entry before it$/)]);
    const doc = parseBlueprint(text());
    const entries = doc.document.get('entries') as { items: unknown[] };
    const portalApp = entries.items.findIndex((_, i) => doc.value.entries![i]!.id === 'application-portal');
    const [app] = entries.items.splice(portalApp, 1);
    entries.items.splice(0, 0, app);
    const reordered = parseBlueprint(doc.document.toString());
    expect(blueprintProblems(reordered)).toEqual(['entries[0] (authentik_core.application): !KeyOf provider-portal names no entry before it']);
  });

  it('is refused without its version, with an entry without model or identifiers, or with a repeated id', () => {
    const broken = parseBlueprint(
      text()
        .replace(/^version: 1$/m, 'version: 2')
        .replace('  - model: authentik_core.user\n', '  - modell: authentik_core.user\n')
        .replace('    identifiers:\n      slug: dezky-portal\n', '    identifiers: {}\n')
        .replace('id: application-portal', 'id: application-operator'),
    );
    expect(blueprintProblems(broken)).toEqual([
      'version must be 1, not 2',
      expect.stringMatching(/\(authentik_core\.application\): identifiers must name the object$/),
      expect.stringMatching(/\(authentik_core\.application\): id application-operator is used twice$/),
      expect.stringMatching(/: model must name an Authentik model/),
    ]);
  });
});

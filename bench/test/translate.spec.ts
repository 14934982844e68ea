import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll, matchesScope, type EvaluationContext, type FlagDefinition } from '@dezky/flags-core';
import { crossCheck } from '../src/cross-check.mjs';
import { flagdEngine, growthbookEngine, unleashEngine, type Engine } from '../src/engines.mjs';
import { makeFlags, makeTenants } from '../src/fixtures.mjs';
import { installNetGuard, type NetGuard } from '../src/net-guard.mjs';
import { toFlagdConfig, toGrowthBookFeatures, toUnleashToggles } from '../src/translate.mjs';

// A handful of flags covering every state, every scope axis and the edge cases of the rules.
const FLAGS: FlagDefinition[] = [
  { key: 'off', state: 'off', pct: 0 },
  { key: 'off-with-scope', state: 'off', pct: 0, scope: { plans: ['enterprise'] } },
  { key: 'on', state: 'on', pct: 0 },
  { key: 'on-with-scope', state: 'on', pct: 0, scope: { plans: ['starter'] } }, // scope ignored
  { key: 'targeted-empty', state: 'targeted', pct: 0, scope: {} }, // nobody
  { key: 'targeted-no-scope', state: 'targeted', pct: 0 }, // nobody
  { key: 'targeted-plan', state: 'targeted', pct: 0, scope: { plans: ['business', 'enterprise'] } },
  { key: 'targeted-slug', state: 'targeted', pct: 0, scope: { tenantSlugs: ['acme-1', 'gone-9'] } },
  { key: 'targeted-partner', state: 'targeted', pct: 0, scope: { partnerSlugs: ['hooli', 'globex'] } },
  { key: 'targeted-env', state: 'targeted', pct: 0, scope: { environments: ['staging'] } },
  {
    key: 'targeted-all-axes',
    state: 'targeted',
    pct: 0,
    scope: { plans: ['enterprise'], tenantSlugs: ['acme-1'], partnerSlugs: ['hooli'], environments: ['production'] },
  },
  { key: 'targeted-empty-axes', state: 'targeted', pct: 0, scope: { plans: [], environments: ['production'] } },
  { key: 'rollout-0', state: 'rollout', pct: 0 },
  { key: 'rollout-100', state: 'rollout', pct: 100 },
  { key: 'rollout-100-scoped', state: 'rollout', pct: 100, scope: { plans: ['starter'] } },
  { key: 'rollout-0-scoped', state: 'rollout', pct: 0, scope: { plans: ['starter'] } },
  { key: 'rollout-50-partner', state: 'rollout', pct: 50, scope: { partnerSlugs: ['hooli'] } },
  { key: 'rollout-30', state: 'rollout', pct: 30 },
];

const CONTEXTS: EvaluationContext[] = [
  { tenantId: '65a1b2c3d4e5f60718293a4b', tenantSlug: 'acme-1', plan: 'enterprise', partnerSlug: 'hooli', environment: 'production' },
  { tenantId: '65a1b2c3d4e5f60718293a4c', tenantSlug: 'acme-2', plan: 'starter', partnerSlug: null, environment: 'staging' },
  { tenantId: '65a1b2c3d4e5f60718293a4d', tenantSlug: 'blue-3', plan: 'business', partnerSlug: 'globex', environment: 'development' },
  { tenantId: '65a1b2c3d4e5f60718293a4e', tenantSlug: 'cedar-4', plan: 'starter', partnerSlug: 'initech', environment: 'test' },
  { tenantId: '65a1b2c3d4e5f60718293a4f', tenantSlug: 'acme-1x', plan: 'enterprise', partnerSlug: 'hooli', environment: 'production' },
];

type EngineFactory = (flags: readonly FlagDefinition[]) => Engine | Promise<Engine>;
const FACTORIES: Array<[string, EngineFactory]> = [
  ['flagd', flagdEngine],
  ['growthbook', growthbookEngine],
  ['unleash', unleashEngine],
];

/** Every (engine, flag, ctx) answer that does not depend on a rollout bucket must equal ours. */
async function expectSameAnswers(factory: EngineFactory, flags: FlagDefinition[], contexts: EvaluationContext[]) {
  const engine = await factory(flags);
  try {
    for (const ctx of contexts) {
      const ours = evaluateAll(flags, ctx);
      const theirs = engine.toRecord(engine.evaluateAll(engine.context(ctx)));
      for (const flag of flags) {
        const bucketDependent =
          flag.state === 'rollout' && flag.pct > 0 && flag.pct < 100 && matchesScope(flag.scope, ctx);
        if (bucketDependent) {
          expect(typeof theirs[flag.key], `${flag.key} @ ${ctx.tenantSlug}`).toBe('boolean');
        } else {
          expect({ key: flag.key, tenant: ctx.tenantSlug, value: theirs[flag.key] }).toEqual({
            key: flag.key,
            tenant: ctx.tenantSlug,
            value: ours[flag.key],
          });
        }
      }
    }
  } finally {
    engine.close();
  }
}

let guard: NetGuard;
beforeAll(() => {
  guard = installNetGuard();
});
afterAll(() => {
  guard.uninstall();
});

describe('translators give the same answers as @dezky/flags-core', () => {
  for (const [name, factory] of FACTORIES) {
    it(`${name}: hand-written edge cases`, async () => {
      await expectSameAnswers(factory, FLAGS, CONTEXTS);
    });
  }

  it('every engine on a generated mix of flags and tenants (the benchmark data, smaller)', async () => {
    const tenants = makeTenants(300, 42);
    const flags = makeFlags(60, tenants, 7);
    const engines = [flagdEngine(flags), growthbookEngine(flags), await unleashEngine(flags)];
    try {
      const result = crossCheck(
        flags,
        tenants,
        engines,
        engines.map((e) => tenants.map((t) => e.context(t))),
      );
      expect(result.exactChecks).toBeGreaterThan(10_000);
      expect(result.mismatches).toEqual([]);
      for (const share of Object.values(result.rollout)) {
        expect(Math.abs(share.share - share.expectedShare)).toBeLessThan(0.05);
      }
    } finally {
      for (const e of engines) e.close();
    }
  });

  it('never touches the network', () => {
    expect(guard.connections).toEqual([]);
    expect(guard.lookups).toEqual([]);
  });
});

describe('translated shapes', () => {
  it('flagd: `in` per non-empty axis, `fractional` for a rollout, DISABLED for off', () => {
    const { flags } = toFlagdConfig(FLAGS);
    expect(flags['off']).toMatchObject({ state: 'DISABLED' });
    expect(flags['on']).toEqual({ state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' });
    expect(flags['targeted-empty']?.targeting).toBeUndefined();
    expect(flags['targeted-empty-axes']?.targeting).toEqual({
      if: [{ in: [{ var: 'environment' }, ['production']] }, 'on', 'off'],
    });
    expect(flags['rollout-50-partner']?.targeting).toEqual({
      if: [{ in: [{ var: 'partnerSlug' }, ['hooli']] }, { fractional: [['on', 50], ['off', 50]] }, 'off'],
    });
    expect(flags['rollout-30']?.targeting).toEqual({ fractional: [['on', 30], ['off', 70]] });
  });

  it('GrowthBook: a `$in` condition per non-empty axis, coverage hashed on tenantId for a rollout', () => {
    const features = toGrowthBookFeatures(FLAGS);
    expect(features['off']).toEqual({ defaultValue: false });
    expect(features['on']).toEqual({ defaultValue: true });
    expect(features['targeted-plan']?.rules).toEqual([
      { id: 'targeted-plan:scope', condition: { plan: { $in: ['business', 'enterprise'] } }, force: true },
    ]);
    expect(features['rollout-30']?.rules).toEqual([
      { id: 'rollout-30:rollout', force: true, coverage: 0.3, hashAttribute: 'tenantId', hashVersion: 2, seed: 'rollout-30' },
    ]);
  });

  it('Unleash: IN constraints per non-empty axis, flexibleRollout sticky on tenantId', () => {
    const toggles = Object.fromEntries(toUnleashToggles(FLAGS).map((t) => [t.name, t]));
    expect(toggles['off']?.enabled).toBe(false);
    expect(toggles['targeted-empty']?.enabled).toBe(false);
    expect(toggles['targeted-env']?.strategies).toEqual([
      {
        name: 'default',
        parameters: {},
        constraints: [{ contextName: 'environment', operator: 'IN', values: ['staging'], inverted: false, caseInsensitive: false }],
      },
    ]);
    expect(toggles['rollout-30']?.strategies).toEqual([
      { name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'tenantId', groupId: 'rollout-30' }, constraints: [] },
    ]);
  });

  it('refuses duplicate keys (the engines key flags by name)', () => {
    const dup: FlagDefinition[] = [
      { key: 'x', state: 'on', pct: 0 },
      { key: 'x', state: 'off', pct: 0 },
    ];
    expect(() => toFlagdConfig(dup)).toThrow(/duplicate/);
    expect(() => toGrowthBookFeatures(dup)).toThrow(/duplicate/);
    expect(() => toUnleashToggles(dup)).toThrow(/duplicate/);
  });
});

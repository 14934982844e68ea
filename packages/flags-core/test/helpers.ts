import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { EvaluationContext, FlagDefinition, FlagScope, FlagState } from '../src/index.js';

export interface BucketVector {
  tenantId: string;
  key: string;
  bucket: number;
}
export interface EvalVector {
  flag: FlagDefinition;
  ctx: EvaluationContext;
  expected: boolean;
}
export interface Vectors {
  buckets: BucketVector[];
  evals: EvalVector[];
}

const STATES: readonly FlagState[] = ['off', 'on', 'targeted', 'rollout'];

function fail(what: string): never {
  throw new Error(`test/fixtures/vectors.json: ${what}`);
}
function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Load and shape-check test/fixtures/vectors.json, the cases of EVALUATION.md. */
export function loadVectors(): Vectors {
  const raw: unknown = JSON.parse(readFileSync(new URL('./fixtures/vectors.json', import.meta.url), 'utf8'));
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const { buckets, evals } = raw as { buckets?: unknown; evals?: unknown };
  if (!Array.isArray(buckets) || !Array.isArray(evals)) fail('missing buckets/evals');
  for (const b of buckets as Record<string, unknown>[]) {
    if (typeof b.tenantId !== 'string' || typeof b.key !== 'string' || typeof b.bucket !== 'number') {
      fail(`bad bucket case ${JSON.stringify(b)}`);
    }
  }
  for (const e of evals as Record<string, unknown>[]) {
    const flag = e.flag as Record<string, unknown> | undefined;
    const ctx = e.ctx as Record<string, unknown> | undefined;
    const scope = (flag?.scope ?? {}) as Record<string, unknown>;
    const ok =
      flag !== undefined &&
      ctx !== undefined &&
      typeof flag.key === 'string' &&
      STATES.includes(flag.state as FlagState) &&
      typeof flag.pct === 'number' &&
      ['plans', 'tenantSlugs', 'partnerSlugs', 'environments'].every(
        (a) => scope[a] === undefined || isStringArray(scope[a]),
      ) &&
      typeof ctx.tenantId === 'string' &&
      typeof ctx.tenantSlug === 'string' &&
      typeof ctx.plan === 'string' &&
      (ctx.partnerSlug === null || typeof ctx.partnerSlug === 'string') &&
      typeof ctx.environment === 'string' &&
      typeof e.expected === 'boolean';
    if (!ok) fail(`bad eval case ${JSON.stringify(e)}`);
  }
  return raw as Vectors;
}

// Small vocabularies so random scopes and contexts actually overlap.
export const PLANS = ['starter', 'business', 'enterprise'] as const;
export const TENANT_SLUGS = ['acme', 'globex', 'initech', 'dezky', 'hooli'] as const;
export const PARTNER_SLUGS = ['nordic-it', 'baltic-cloud'] as const;
export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

const HEX = '0123456789abcdef'.split('');
/** A tenant id: 24 lowercase hex characters, like a Mongo ObjectId. */
export const tenantIdArb = fc.string({ unit: fc.constantFrom(...HEX), minLength: 24, maxLength: 24 });

export const flagKeyArb = fc.oneof(
  fc.constantFrom('new_billing_engine', 'gdpr_export_v2', 'ünïcode_key', 'x_1', '__proto__', 'constructor'),
  fc.string({ minLength: 1, maxLength: 20 }),
);

/** One axis: missing, empty, or a subset of the vocabulary (sometimes with an outsider). */
function axisArb(vocab: readonly string[]): fc.Arbitrary<string[] | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constant<string[]>([]),
    fc.subarray([...vocab, 'other'], { minLength: 1 }),
  );
}

export const scopeArb: fc.Arbitrary<FlagScope | undefined> = fc.option(
  fc
    .record({
      plans: axisArb(PLANS),
      tenantSlugs: axisArb(TENANT_SLUGS),
      partnerSlugs: axisArb(PARTNER_SLUGS),
      environments: axisArb(ENVIRONMENTS),
    })
    .map((s) => {
      // Drop missing axes so "missing" and "empty" are both exercised.
      const out: FlagScope = {};
      if (s.plans !== undefined) out.plans = s.plans;
      if (s.tenantSlugs !== undefined) out.tenantSlugs = s.tenantSlugs;
      if (s.partnerSlugs !== undefined) out.partnerSlugs = s.partnerSlugs;
      if (s.environments !== undefined) out.environments = s.environments;
      return out;
    }),
  { nil: undefined, freq: 5 },
);

export const pctArb = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 1, 50, 99, 100));

export const flagArb: fc.Arbitrary<FlagDefinition> = fc
  .record({ key: flagKeyArb, state: fc.constantFrom(...STATES), pct: pctArb, scope: scopeArb })
  .map(({ scope, ...rest }) => (scope === undefined ? rest : { ...rest, scope }));

export const ctxArb: fc.Arbitrary<EvaluationContext> = fc.record({
  tenantId: tenantIdArb,
  tenantSlug: fc.constantFrom(...TENANT_SLUGS, 'other'),
  plan: fc.constantFrom(...PLANS, 'other'),
  partnerSlug: fc.option(fc.constantFrom(...PARTNER_SLUGS, 'other'), { nil: null }),
  environment: fc.constantFrom(...ENVIRONMENTS, 'other'),
});

export function ctx(overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  return {
    tenantId: '65f1c0ffee0000000000abcd',
    tenantSlug: 'acme',
    plan: 'business',
    partnerSlug: 'nordic-it',
    environment: 'production',
    ...overrides,
  };
}

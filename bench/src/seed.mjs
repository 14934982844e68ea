// Data setup for the benchmarks that run against the API: partners and flags through the API
// (as an operator would create them), tenants in bulk straight into MongoDB through
// @dezky/test-stack's seeding (then the load is announced in the change log so the API's
// snapshot picks them up).
import { announceBulkLoad as announceLoad, insertTenants as seedTenants } from '@dezky/test-stack';
import { PARTNERS } from './fixtures.mjs';
import { expectStatus } from './stack.mjs';

/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */
/** @typedef {import('./stack.mjs').Stack} Stack */

/**
 * The 20 partners of the fixtures, created through POST /partners. Returns slug -> id.
 * @param {Stack} stack
 * @returns {Promise<Map<string, string>>}
 */
export async function createPartners(stack) {
  /** @type {Map<string, string>} */
  const ids = new Map();
  for (const [i, slug] of PARTNERS.entries()) {
    const res = await stack.call('POST', '/partners', {
      token: stack.tokens.admin,
      body: { slug, name: `${slug[0]?.toUpperCase()}${slug.slice(1)} IT`, domain: `${slug}-it.test`, marginPct: 10 + (i % 4) * 5 },
    });
    expectStatus(res, 201, `POST /partners ${slug}`);
    ids.set(slug, /** @type {{ id: string }} */ (res.body).id);
  }
  return ids;
}

/**
 * Inserts tenants (fixture contexts) as the API stores them (through @dezky/test-stack's
 * seeding, which takes the API's own collection names), in batches of 5,000 with `concurrency`
 * batches in flight (mongo-wire takes about half the time with 4 as with 1 on two cores). Does
 * not announce the load (announceBulkLoad does).
 * @param {Stack} stack
 * @param {readonly EvaluationContext[]} tenants
 * @param {Map<string, string>} partnerIds slug -> id
 * @param {{ batch?: number, concurrency?: number }} [options]
 */
export async function insertTenants(stack, tenants, partnerIds, options = {}) {
  const seeds = tenants.map((t) => {
    /** @type {import('@dezky/test-stack').TenantSeed} */
    const seed = { id: t.tenantId, slug: t.tenantSlug, name: `${t.tenantSlug} GmbH`, plan: t.plan };
    if (t.partnerSlug !== null) {
      const id = partnerIds.get(t.partnerSlug);
      if (!id) throw new Error(`unknown partner ${t.partnerSlug}`);
      seed.partnerId = id;
    }
    return seed;
  });
  await seedTenants(stack.db, seeds, options);
}

/**
 * Announces a bulk load as the API's own writes do (an `all` entry in the change log), so every
 * API process reloads its read models (through its change stream, or its next poll of the log).
 * @param {Stack} stack
 */
export async function announceBulkLoad(stack) {
  await announceLoad(stack.db, 'bench');
}

/**
 * A fixture flag key (`billing.invoices-007`) as an API flag key (`billing_invoices_007`).
 * @param {string} key
 */
export function apiFlagKey(key) {
  return key.replace(/[^a-z0-9]+/g, '_');
}

/**
 * The fixture flags with API keys and tenant allowlists reduced to tenants that exist (the API
 * refuses unknown slugs; the fixtures add the odd `gone-...` one).
 * @param {readonly FlagDefinition[]} flags
 * @param {ReadonlySet<string>} existingSlugs
 * @returns {FlagDefinition[]}
 */
export function apiFlags(flags, existingSlugs) {
  return flags.map((f) => {
    /** @type {FlagDefinition} */
    const out = { key: apiFlagKey(f.key), state: f.state, pct: f.pct };
    if (f.scope) {
      out.scope = { ...f.scope };
      if (f.scope.tenantSlugs) out.scope.tenantSlugs = f.scope.tenantSlugs.filter((s) => existingSlugs.has(s));
    }
    return out;
  });
}

/**
 * Creates each flag through the API: POST /flags, then PATCH /flags/:key with its state, pct
 * and every scope axis (an omitted axis is sent empty).
 * @param {Stack} stack
 * @param {readonly FlagDefinition[]} flags
 */
export async function createFlags(stack, flags) {
  for (const flag of flags) {
    expectStatus(
      await stack.call('POST', '/flags', { token: stack.tokens.admin, body: { key: flag.key, description: `Benchmark flag ${flag.key}` } }),
      201,
      `POST /flags ${flag.key}`,
    );
    const scope = {
      plans: [...(flag.scope?.plans ?? [])],
      tenantSlugs: [...(flag.scope?.tenantSlugs ?? [])],
      partnerSlugs: [...(flag.scope?.partnerSlugs ?? [])],
      environments: [...(flag.scope?.environments ?? [])],
    };
    expectStatus(
      await stack.call('PATCH', `/flags/${flag.key}`, { token: stack.tokens.admin, body: { state: flag.state, pct: flag.pct, scope } }),
      200,
      `PATCH /flags/${flag.key}`,
    );
  }
}

/**
 * Waits until the API's snapshot holds `total` tenants: POST /flags/<key>/impact with an empty
 * draft answers the snapshot's tenant count. Use a flag that is off or on, so the probe
 * computes no rollout bucket column (a rollout flag's preview would).
 * @param {Stack} stack
 * @param {string} probeKey
 * @param {number} total
 * @param {number} [timeoutMs]
 * @returns {Promise<number>} ms waited
 */
export async function waitForTenants(stack, probeKey, total, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const res = expectStatus(await stack.call('POST', `/flags/${probeKey}/impact`, { token: stack.tokens.admin, body: {} }), 200, `POST /flags/${probeKey}/impact`);
    const seen = /** @type {{ total: number }} */ (res.body).total;
    if (seen === total) return Date.now() - started;
    if (seen > total) throw new Error(`the API sees ${seen} tenants, expected ${total}`);
    if (Date.now() - started > timeoutMs) throw new Error(`the API saw ${seen} of ${total} tenants after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Slugs named in any flag's tenant allowlist.
 * @param {readonly FlagDefinition[]} flags
 */
export function allowlistedSlugs(flags) {
  return new Set(flags.flatMap((f) => f.scope?.tenantSlugs ?? []));
}

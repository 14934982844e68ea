// Benchmark 3: the impact preview, POST /flags/:key/impact, over 100,000 tenants.
//
// Stack (stack.mjs) as for the HTTP benchmark. Data: the 20 fixture partners; four flags made
// through the API (two rollouts, two targeted); 100,000 fixture tenants inserted in bulk, then
// an `all` entry appended to the change log and waited for (the probe previews an off flag, which needs no bucket).
//
// The API keeps rollout buckets in its snapshot's store: when the snapshot is built, the
// column of every rollout flag is computed for every tenant; a flag first previewed as a
// rollout has its column computed by that preview (one SHA-256 per tenant, in one loop).
// Measured, one request at a time from this process:
//   cold: the first preview of each rollout flag after the snapshot holds the 100,000 tenants
//         (its column computed when the snapshot was built), then drafts that turn seeded `off`
//         flags into rollouts (their columns not computed yet: the worst case, which an
//         operator meets once per flag).
//   warm: after a few unmeasured warm-up previews, 30 drafts varying pct, state and every
//         scope axis (plans, environments, partner and tenant allowlists) on the four flags.
// Reported: the server time from `Server-Timing: impact;dur=` (the computation inside the
// API, scope validation and the snapshot check included) and the client round trip (request
// sent to the last byte of the body read). Every answer (the exact counts and the first 100
// gained and lost slugs) is checked against @dezky/flags-core, and for one draft every page of
// the gained list (`?list=gained&offset=&limit=100`) is fetched and checked.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { evaluateFlag } from '@dezky/flags-core';
import { makeTenants } from './fixtures.mjs';
import { networkVerdict, numbersFromEnv, runFacts, startRun, writeResults } from './run-report.mjs';
import { announceBulkLoad, createFlags, createPartners, insertTenants, waitForTenants } from './seed.mjs';
import { expectStatus, machineBusyCpuMs, processCpuMs, startStack } from './stack.mjs';
import { fmtInt, fmtNum, median, quantile, table } from './stats.mjs';

/** @typedef {import('./stack.mjs').Stack} Stack */
/** @typedef {import('@dezky/flags-core').FlagDefinition} FlagDefinition */
/** @typedef {import('@dezky/flags-core').FlagScope} FlagScope */
/** @typedef {import('@dezky/flags-core').EvaluationContext} EvaluationContext */
/** @typedef {{ state?: FlagDefinition['state'], pct?: number, scope?: FlagScope }} Draft */

/**
 * @typedef {object} Options
 * @property {number} tenants
 * @property {number} requests measured warm previews
 * @property {number} warmup unmeasured warm previews before them
 * @property {number} targetMs server time (median and p95) should stay under this
 * @property {string | null} output
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 100_000,
  requests: 30,
  warmup: 3,
  targetMs: 100,
  output: fileURLToPath(new URL('../results/impact.json', import.meta.url)),
};

/** Options from the environment (BENCH_IMPACT_TENANTS, BENCH_IMPACT_REQUESTS). */
export function optionsFromEnv(env = process.env) {
  return /** @type {Partial<Options>} */ (numbersFromEnv(env, { BENCH_IMPACT_TENANTS: 'tenants', BENCH_IMPACT_REQUESTS: 'requests' }));
}

const PILOT_SIZE = 40;

/**
 * The four flags the drafts work on.
 * @param {readonly EvaluationContext[]} pilots
 * @returns {FlagDefinition[]}
 */
function impactFlags(pilots) {
  return [
    { key: 'impact_rollout', state: 'rollout', pct: 20, scope: {} },
    { key: 'impact_rollout_plans', state: 'rollout', pct: 25, scope: { plans: ['business', 'enterprise'] } },
    { key: 'impact_targeted', state: 'targeted', pct: 0, scope: { plans: ['enterprise'], partnerSlugs: ['northwind', 'contoso', 'fabrikam', 'initech'] } },
    { key: 'impact_pilot', state: 'targeted', pct: 0, scope: { tenantSlugs: pilots.map((t) => t.tenantSlug) } },
  ];
}

/** Seeded flags (off, pct 0, no scope) that the cold drafts turn into rollouts. */
const SEEDED_OFF = ['gdpr_export_v2', 'new_billing_engine', 'calendar_sharing_v2'];

/**
 * Drafts: [flag key, draft, label]. `cold`: the first preview of each rollout flag, then drafts
 * that make rollouts of seeded off flags (their bucket columns are computed by the preview).
 * @param {readonly EvaluationContext[]} tenants
 */
function drafts(tenants) {
  const slugs = (/** @type {number} */ n, /** @type {number} */ step) => tenants.filter((_, i) => i % step === 0).slice(0, n).map((t) => t.tenantSlug);
  /** @type {Array<[string, Draft, string]>} */
  const cold = [
    ['impact_rollout', { pct: 25 }, 'rollout 20% -> 25% (everyone eligible)'],
    ['impact_rollout_plans', { pct: 30, scope: { plans: [] } }, 'rollout 25% -> 30%, plans axis cleared'],
    ['gdpr_export_v2', { state: 'rollout', pct: 30 }, 'off -> rollout 30% (column computed now)'],
    ['new_billing_engine', { state: 'rollout', pct: 10, scope: { plans: ['business'] } }, 'off -> rollout 10% of business (column computed now)'],
    ['calendar_sharing_v2', { state: 'rollout', pct: 100 }, 'off -> rollout 100% (column computed now)'],
  ];
  /** @type {Array<[string, Draft, string]>} */
  const warmup = [
    ['impact_rollout', { pct: 30 }, 'pct 30'],
    ['impact_rollout_plans', { pct: 40 }, 'pct 40'],
    ['impact_targeted', { state: 'on' }, 'state on'],
  ];
  /** @type {Array<[string, Draft, string]>} */
  const measured = [
    ['impact_rollout', { pct: 0 }, 'pct 0'],
    ['impact_rollout', { pct: 1 }, 'pct 1'],
    ['impact_rollout', { pct: 5 }, 'pct 5'],
    ['impact_rollout', { pct: 10 }, 'pct 10'],
    ['impact_rollout', { pct: 33 }, 'pct 33'],
    ['impact_rollout', { pct: 50 }, 'pct 50'],
    ['impact_rollout', { pct: 75 }, 'pct 75'],
    ['impact_rollout', { pct: 100 }, 'pct 100'],
    ['impact_rollout', { state: 'on' }, 'state on'],
    ['impact_rollout', { state: 'off', pct: 0 }, 'kill switch'],
    ['impact_rollout', { scope: { plans: ['enterprise'] } }, 'plans [enterprise]'],
    ['impact_rollout_plans', { pct: 10 }, 'pct 10'],
    ['impact_rollout_plans', { pct: 50 }, 'pct 50'],
    ['impact_rollout_plans', { pct: 100 }, 'pct 100'],
    ['impact_rollout_plans', { scope: { plans: ['starter'] } }, 'plans [starter]'],
    ['impact_rollout_plans', { scope: { plans: ['starter', 'business', 'enterprise'] } }, 'plans all three'],
    ['impact_rollout_plans', { scope: { environments: ['production'] } }, 'environments [production]'],
    ['impact_rollout_plans', { scope: { environments: ['staging'] } }, 'environments [staging] (everyone loses)'],
    ['impact_rollout_plans', { pct: 60, scope: { partnerSlugs: ['northwind', 'contoso'] } }, 'pct 60, partners [2]'],
    ['impact_targeted', { state: 'off' }, 'state off'],
    ['impact_targeted', { scope: { plans: ['business', 'enterprise'] } }, 'plans [business, enterprise]'],
    ['impact_targeted', { scope: { partnerSlugs: ['northwind', 'contoso', 'fabrikam', 'initech', 'globex', 'umbrella', 'hooli', 'vandelay', 'wonka', 'stark'] } }, 'partners [10]'],
    ['impact_targeted', { scope: { partnerSlugs: [] } }, 'partners cleared'],
    ['impact_targeted', { scope: { environments: ['production'] } }, 'environments [production]'],
    ['impact_targeted', { scope: { plans: [], partnerSlugs: [], tenantSlugs: slugs(100, 997) } }, 'only 100 named tenants'],
    ['impact_pilot', { scope: { tenantSlugs: slugs(500, 199) } }, 'tenant allowlist 40 -> 500'],
    ['impact_pilot', { scope: { tenantSlugs: [] } }, 'tenant allowlist cleared'],
    ['impact_pilot', { state: 'on' }, 'state on'],
    ['impact_pilot', { scope: { plans: ['enterprise'] } }, 'plans [enterprise] added'],
    ['impact_pilot', { state: 'off' }, 'state off'],
  ];
  return { cold, warmup, measured };
}

/**
 * What the API should answer, computed here with flags-core (the draft applied as the
 * API does: a given axis replaces that axis, omitted ones are kept).
 * @param {FlagDefinition} current
 * @param {Draft} draft
 * @param {readonly EvaluationContext[]} tenants
 */
function expectedImpact(current, draft, tenants) {
  /** @type {FlagDefinition} */
  const next = { key: current.key, state: draft.state ?? current.state, pct: draft.pct ?? current.pct, scope: { ...current.scope, ...draft.scope } };
  let before = 0;
  let after = 0;
  /** @type {string[]} */
  const gained = [];
  /** @type {string[]} */
  const lost = [];
  for (const ctx of tenants) {
    const was = evaluateFlag(current, ctx);
    const will = evaluateFlag(next, ctx);
    if (was) before++;
    if (will) after++;
    if (will && !was) gained.push(ctx.tenantSlug);
    else if (was && !will) lost.push(ctx.tenantSlug);
  }
  gained.sort();
  lost.sort();
  return { total: tenants.length, before, after, gained, lost };
}

/** Slugs per list in an impact answer. */
const PAGE = 100;

/**
 * @typedef {object} ImpactBody
 * @property {number} total
 * @property {number} before
 * @property {number} after
 * @property {number} gainedCount
 * @property {number} lostCount
 * @property {string[]} gained
 * @property {string[]} lost
 */

/**
 * @typedef {object} Sample
 * @property {string} key
 * @property {string} label
 * @property {Draft} draft
 * @property {number} serverMs from Server-Timing
 * @property {number} clientMs round trip
 * @property {number} bytes response body
 * @property {number} gained
 * @property {number} lost
 * @property {boolean} correct equal to flags-core's answer
 */

/**
 * @param {Stack} stack
 * @param {string} key
 * @param {Draft} draft
 * @param {string} label
 * @param {FlagDefinition} current
 * @param {readonly EvaluationContext[]} tenants
 * @returns {Promise<Sample>}
 */
async function preview(stack, key, draft, label, current, tenants) {
  const res = expectStatus(await stack.call('POST', `/flags/${key}/impact`, { token: stack.tokens.admin, body: draft }), 200, `POST /flags/${key}/impact ${JSON.stringify(draft)}`);
  const timing = res.headers.get('server-timing') ?? '';
  const m = /impact;dur=([\d.]+)/.exec(timing);
  if (!m) throw new Error(`no Server-Timing impact;dur in ${JSON.stringify(timing)}`);
  const body = /** @type {ImpactBody} */ (res.body);
  const expected = expectedImpact(current, draft, tenants);
  const correct =
    body.total === expected.total &&
    body.before === expected.before &&
    body.after === expected.after &&
    body.gainedCount === expected.gained.length &&
    body.lostCount === expected.lost.length &&
    JSON.stringify(body.gained) === JSON.stringify(expected.gained.slice(0, PAGE)) &&
    JSON.stringify(body.lost) === JSON.stringify(expected.lost.slice(0, PAGE));
  return { key, label, draft, serverMs: Number(m[1]), clientMs: res.ms, bytes: res.bytes, gained: body.gainedCount, lost: body.lostCount, correct };
}

/**
 * Every page of one draft's gained list, checked against flags-core: the pages together are
 * the whole sorted list, with the same counts on each.
 * @param {Stack} stack
 * @param {string} key
 * @param {Draft} draft
 * @param {FlagDefinition} current
 * @param {readonly EvaluationContext[]} tenants
 */
async function checkPaging(stack, key, draft, current, tenants) {
  const expected = expectedImpact(current, draft, tenants);
  /** @type {string[]} */
  const pages = [];
  let requests = 0;
  let countsOk = true;
  /** @type {number[]} */
  const serverMs = [];
  for (let offset = 0; offset < expected.gained.length; offset += PAGE) {
    const res = expectStatus(
      await stack.call('POST', `/flags/${key}/impact?list=gained&offset=${offset}&limit=${PAGE}`, { token: stack.tokens.admin, body: draft }),
      200,
      `POST /flags/${key}/impact?list=gained&offset=${offset}`,
    );
    const body = /** @type {ImpactBody} */ (res.body);
    requests++;
    serverMs.push(Number(/impact;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN));
    countsOk &&= body.gainedCount === expected.gained.length && body.lostCount === expected.lost.length && body.lost.length === 0 && body.gained.length <= PAGE;
    pages.push(...body.gained);
  }
  const correct = countsOk && JSON.stringify(pages) === JSON.stringify(expected.gained);
  return { key, draft, requests, slugs: pages.length, correct, serverMedianMs: median(serverMs) };
}

/**
 * Run benchmark 3. Throws when a preview fails or disagrees with flags-core, or when
 * anything tried to leave the machine.
 * @param {Partial<Options>} [overrides]
 */
export async function main(overrides = {}) {
  const { options, log, guard, started } = startRun(DEFAULTS, optionsFromEnv(), overrides);
  /** @type {Stack | null} */
  let stack = null;
  try {
    log(`bench impact: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'})`);
    stack = await startStack({ log });
    const setupStarted = Date.now();
    const partnerIds = await createPartners(stack);
    const tenants = makeTenants(options.tenants, 0x1a9ac7).map((t) => ({ ...t, environment: 'production' }));
    const pilots = tenants.slice(0, PILOT_SIZE);
    // The pilot tenants first (an allowlist may only name existing tenants), the flags while the
    // snapshot is small, then everyone else in bulk.
    await insertTenants(stack, pilots, partnerIds);
    const flags = impactFlags(pilots);
    await createFlags(stack, flags);
    /** @type {FlagDefinition[]} */
    const seeded = SEEDED_OFF.map((key) => ({ key, state: 'off', pct: 0, scope: {} }));
    const insertStarted = Date.now();
    await insertTenants(stack, tenants.slice(PILOT_SIZE), partnerIds);
    const insertMs = Date.now() - insertStarted;
    await announceBulkLoad(stack);
    const visibleMs = await waitForTenants(stack, 'webmail_dark_mode', tenants.length);
    log(
      `  seeded in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s: ${fmtInt(tenants.length)} tenants (bulk insert ${(insertMs / 1000).toFixed(1)} s; ` +
        `in the API's snapshot ${(visibleMs / 1000).toFixed(1)} s after the change-log entry)`,
    );

    const api = stack;
    /** @type {Map<string, FlagDefinition>} */
    const byKey = new Map([...flags, ...seeded].map((f) => [f.key, f]));
    const plan = drafts(tenants);
    const run = async (/** @type {Array<[string, Draft, string]>} */ list) => {
      /** @type {Sample[]} */
      const out = [];
      for (const [key, draft, label] of list) out.push(await preview(api, key, draft, label, /** @type {FlagDefinition} */ (byKey.get(key)), tenants));
      return out;
    };
    const cpu0 = { machine: machineBusyCpuMs(), api: processCpuMs(stack.pids.api), mongo: processCpuMs(stack.pids.mongo), self: process.cpuUsage(), at: performance.now() };
    const cold = await run(plan.cold);
    const warmup = await run(plan.warmup);
    /** @type {Sample[]} */
    const measured = [];
    for (let i = 0; i < options.requests; i++) {
      const [key, draft, label] = /** @type {[string, Draft, string]} */ (plan.measured[i % plan.measured.length]);
      measured.push(await preview(api, key, draft, label, /** @type {FlagDefinition} */ (byKey.get(key)), tenants));
    }

    // Every page of the largest gained list among the drafts (rollout 20% -> 100%: ~80,000 slugs).
    const paging = await checkPaging(api, 'impact_rollout', { pct: 100 }, /** @type {FlagDefinition} */ (byKey.get('impact_rollout')), tenants);

    const self = process.cpuUsage(cpu0.self);
    const ours = processCpuMs(stack.pids.api) - cpu0.api + (processCpuMs(stack.pids.mongo) - cpu0.mongo) + (self.user + self.system) / 1000;
    const otherCpuPct = (Math.max(0, machineBusyCpuMs() - cpu0.machine - ours) / ((performance.now() - cpu0.at) * os.cpus().length)) * 100;
    const server = measured.map((s) => s.serverMs);
    const client = measured.map((s) => s.clientMs);
    const summary = {
      serverMedianMs: median(server),
      serverP95Ms: quantile(server, 0.95),
      serverMaxMs: Math.max(...server),
      clientMedianMs: median(client),
      clientP95Ms: quantile(client, 0.95),
      clientMaxMs: Math.max(...client),
      bytesMedian: median(measured.map((s) => s.bytes)),
      bytesMax: Math.max(...measured.map((s) => s.bytes)),
    };
    const met = summary.serverMedianMs < options.targetMs && summary.serverP95Ms < options.targetMs;
    const coldMaxMs = Math.max(...cold.map((s) => s.serverMs));
    const coldMet = coldMaxMs < options.targetMs;

    const lines = [''];
    lines.push(`Impact preview: POST /flags/:key/impact over ${fmtInt(tenants.length)} tenants, one request at a time, operator token`);
    lines.push(
      ...table(
        ['previews', 'n', 'server median ms', 'server p95 ms', 'server max ms', 'client median ms', 'client p95 ms', 'response median', 'response max'],
        [
          [
            'warm (reported)',
            String(measured.length),
            fmtNum(summary.serverMedianMs),
            fmtNum(summary.serverP95Ms),
            fmtNum(summary.serverMaxMs),
            fmtNum(summary.clientMedianMs),
            fmtNum(summary.clientP95Ms),
            `${fmtInt(summary.bytesMedian / 1024)} KiB`,
            `${fmtInt(summary.bytesMax / 1024)} KiB`,
          ],
          ...cold.map((s, i) => [
            `cold #${i + 1}: ${s.key}`,
            '1',
            fmtNum(s.serverMs),
            '',
            '',
            fmtNum(s.clientMs),
            '',
            `${fmtInt(s.bytes / 1024)} KiB`,
            '',
          ]),
        ],
      ),
    );
    lines.push(`  Target: server time < ${options.targetMs} ms (warm median and p95): ${met ? 'MET' : 'NOT MET'}`);
    lines.push(`  Target: server time < ${options.targetMs} ms for every cold preview (max ${fmtNum(coldMaxMs)} ms): ${coldMet ? 'MET' : 'NOT MET'}`);
    lines.push(
      `  warm = after the ${cold.length} cold previews and ${warmup.length} unmeasured ones. ` +
        'cold #1-2 = the first preview of each rollout flag after the snapshot holds every tenant (its bucket column computed when the snapshot was built); ' +
        `cold #3-${cold.length} = drafts making rollouts of off flags, whose columns the preview computes (one SHA-256 per tenant).`,
    );
    lines.push('  server = Server-Timing impact;dur (the computation in the API, incl. scope validation queries); client = round trip incl. the JSON (counts and at most 100 slugs per list)');
    lines.push(
      `  paging: every page of ${paging.key} ${JSON.stringify(paging.draft)}'s gained list: ${paging.requests} requests, ${fmtInt(paging.slugs)} slugs, ` +
        `server median ${fmtNum(paging.serverMedianMs)} ms: ${paging.correct ? 'correct' : 'WRONG'}`,
    );
    const slowest = [...measured].sort((a, b) => b.serverMs - a.serverMs).slice(0, 3);
    lines.push(`  slowest warm drafts: ${slowest.map((s) => `${s.key} ${s.label} ${fmtNum(s.serverMs)} ms (gained ${fmtInt(s.gained)}, lost ${fmtInt(s.lost)})`).join('; ')}`);
    if (otherCpuPct > 5) {
      lines.push(`  WARNING: other processes took ${fmtInt(otherCpuPct)}% of the machine's CPU during the previews: the figures are disturbed; run again on a quiet machine`);
    }
    const wrong = [...cold, ...warmup, ...measured].filter((s) => !s.correct);
    lines.push(`  correctness: ${cold.length + warmup.length + measured.length} previews checked against @dezky/flags-core (exact counts and the first ${PAGE} gained/lost slugs): ${wrong.length} wrong`);
    log(lines.join('\n'));

    const apiNetwork = await stack.apiNetwork();
    const failures = wrong.map((s) => `${s.key} ${JSON.stringify(s.draft)}: the API's impact differs from @dezky/flags-core's`);
    if (!paging.correct) failures.push(`${paging.key} ${JSON.stringify(paging.draft)}: the pages of the gained list differ from @dezky/flags-core's list`);
    const network = networkVerdict(guard, apiNetwork);
    failures.push(...network.failures);
    log('');
    log(network.line);

    const json = {
      ...runFacts('impact'),
      options,
      seconds: (Date.now() - started) / 1000,
      warnings: stack.warnings,
      data: { tenants: tenants.length, flags, insertMs, visibleMs },
      summary,
      otherCpuPct,
      met,
      coldMet,
      cold,
      warmup,
      measured,
      paging,
      network: { bench: { connections: guard.connections.length, blocked: guard.blocked }, api: apiNetwork },
      ok: failures.length === 0,
      failures,
    };
    writeResults(options.output, json, log);
    if (failures.length > 0) throw new Error(`impact benchmark FAILED:\n  ${failures.join('\n  ')}`);
    return { summary, cold, measured };
  } finally {
    await stack?.stop();
    guard.uninstall();
  }
}

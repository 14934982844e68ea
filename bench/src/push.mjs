// Benchmark 4: push. OFREP change notifications (server-sent events) fanned out to many open
// streams on one API process.
//
// Stack (stack.mjs) as for the HTTP benchmark, with BENCH_PUSH_TENANTS fixture tenants (default
// 1,000). This process asks OFREP bulk evaluation (operator token) for each tenant's stream URL;
// a child process (push-client.mjs) opens BENCH_PUSH_STREAMS connections (default 10,000) spread
// over those URLs. Measured:
//   - the API's RSS before the streams open and once they are open, each as a plain sample
//     after a 2 s settle and after a forced full GC (the target is on the latter: what the
//     open streams keep, not the garbage opening them left);
//   - for BENCH_PUSH_CHANGES flag changes (default 5): the time from sending the PATCH to each
//     stream receiving its refetchEvaluation event (absolute clocks of the two processes on one
//     machine); p50, p99, max, and streams that got nothing within 10 s.
// Targets: the streams add < 150 MiB; p99 < 1 s; every stream notified; 0 errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeTenants } from './fixtures.mjs';
import { networkVerdict, numbersFromEnv, runFacts, startRun, writeResults } from './run-report.mjs';
import { announceBulkLoad, createPartners, insertTenants, waitForTenants } from './seed.mjs';
import { expectStatus, forkTracked, startStack } from './stack.mjs';
import { fmtInt, fmtNum, median, quantile, table } from './stats.mjs';

/**
 * @typedef {object} Options
 * @property {number} tenants
 * @property {number} streams
 * @property {number} changes
 * @property {number} rssTargetMiB
 * @property {number} p99TargetMs
 * @property {string | null} output
 */

/** @type {Options} */
export const DEFAULTS = {
  tenants: 1000,
  streams: 10_000,
  changes: 5,
  rssTargetMiB: 150,
  p99TargetMs: 1000,
  output: fileURLToPath(new URL('../results/push.json', import.meta.url)),
};

/** Options from the environment (BENCH_PUSH_TENANTS, BENCH_PUSH_STREAMS, BENCH_PUSH_CHANGES). */
export function optionsFromEnv(env = process.env) {
  return /** @type {Partial<Options>} */ (numbersFromEnv(env, { BENCH_PUSH_TENANTS: 'tenants', BENCH_PUSH_STREAMS: 'streams', BENCH_PUSH_CHANGES: 'changes' }));
}

/** @param {number} pid RSS in MiB from /proc. */
function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The fan-out figures of one change: latencies (ms) from the PATCH being sent to each arrival.
 * @param {number} sentAt absolute ms
 * @param {number[]} arrivals absolute ms
 */
export function fanOut(sentAt, arrivals) {
  const ms = arrivals.map((t) => t - sentAt);
  return { count: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms.length ? Math.max(...ms) : NaN };
}

/** @param {Partial<Options>} [overrides] */
export async function main(overrides = {}) {
  const { options, log, guard, started } = startRun(DEFAULTS, optionsFromEnv(), overrides);
  log(`\n== push: ${fmtInt(options.streams)} event streams over ${fmtInt(options.tenants)} tenants, ${options.changes} flag changes ==`);
  /** @type {import('./stack.mjs').Stack | undefined} */
  let stack;
  /** @type {import('@dezky/test-stack').StackProcess | undefined} */
  let client;
  try {
    stack = await startStack({ log, database: 'dezky_bench_push', exposeGc: true });
    const partnerIds = await createPartners(stack);
    const tenants = makeTenants(options.tenants);
    await insertTenants(stack, tenants, partnerIds);
    await announceBulkLoad(stack);
    await waitForTenants(stack, 'shared_mailboxes', tenants.length);

    // Each tenant's stream URL, as an OFREP client gets it.
    /** @type {string[]} */
    const urls = [];
    for (const t of tenants) {
      const res = expectStatus(
        await stack.call('POST', '/ofrep/v1/evaluate/flags', { token: stack.tokens.admin, body: { context: { targetingKey: t.tenantSlug } } }),
        200,
        `OFREP bulk ${t.tenantSlug}`,
      );
      const stream = /** @type {{ eventStreams?: { endpoint?: { requestUri?: string } }[] }} */ (res.body).eventStreams?.[0];
      if (!stream?.endpoint?.requestUri) throw new Error(`OFREP bulk for ${t.tenantSlug} named no event stream`);
      urls.push(`${stack.apiUrl}${stream.endpoint.requestUri}`);
    }
    const perUrl = Math.max(1, Math.round(options.streams / urls.length));

    client = forkTracked('push-client', fileURLToPath(new URL('./push-client.mjs', import.meta.url)));
    const child = client.child;
    /** @type {(type: string) => Promise<any>} */
    const reply = (type) =>
      new Promise((resolve, reject) => {
        const onMessage = (/** @type {any} */ m) => {
          if (m?.type !== type) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m);
        };
        const onExit = () => reject(new Error(`push-client exited:\n${client?.tail()}`));
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
    await reply('ready');

    await new Promise((r) => setTimeout(r, 2000));
    const rssBefore = rssMiB(stack.pids.api);
    const gcBefore = (await stack.forceGc()).rssBytes / 2 ** 20;
    child.send({ type: 'open', urls, perUrl });
    const opened = await reply('opened');
    await new Promise((r) => setTimeout(r, 2000));
    const rssOpen = rssMiB(stack.pids.api);
    // What the open streams keep, without the garbage that opening them left behind.
    const gcOpen = (await stack.forceGc()).rssBytes / 2 ** 20;
    log(`  opened ${fmtInt(opened.count)} streams in ${fmtNum(opened.ms / 1000)} s (${opened.failed} failed); API RSS ${fmtNum(rssBefore)} -> ${fmtNum(rssOpen)} MiB, after a forced GC ${fmtNum(gcBefore)} -> ${fmtNum(gcOpen)} MiB`);

    /** @type {ReturnType<typeof fanOut>[]} */
    const rounds = [];
    let missing = 0;
    for (let i = 0; i < options.changes; i++) {
      child.send({ type: 'arm' });
      await reply('armed');
      const arrivals = reply('arrivals');
      const sentAt = performance.timeOrigin + performance.now();
      expectStatus(await stack.call('PATCH', '/flags/shared_mailboxes', { token: stack.tokens.admin, body: { state: i % 2 === 0 ? 'on' : 'off' } }), 200, 'PATCH flag');
      const got = await arrivals;
      missing += got.missing;
      rounds.push(fanOut(sentAt, got.times));
      await new Promise((r) => setTimeout(r, 500));
    }
    child.send({ type: 'close' });
    await reply('closed');

    const p99s = rounds.map((r) => r.p99);
    const summary = {
      streams: opened.count,
      failedToOpen: opened.failed,
      rssBeforeMiB: rssBefore,
      rssOpenMiB: rssOpen,
      rssAddedMiB: rssOpen - rssBefore,
      perStreamKiB: ((rssOpen - rssBefore) * 1024) / Math.max(1, opened.count),
      rssAfterGcBeforeMiB: gcBefore,
      rssAfterGcOpenMiB: gcOpen,
      rssAfterGcAddedMiB: gcOpen - gcBefore,
      perStreamAfterGcKiB: ((gcOpen - gcBefore) * 1024) / Math.max(1, opened.count),
      p50Ms: median(rounds.map((r) => r.p50)),
      p99Ms: median(p99s),
      worstP99Ms: Math.max(...p99s),
      maxMs: Math.max(...rounds.map((r) => r.max)),
      missing,
    };
    const met = {
      // What the streams keep: the garbage left from opening them is not their cost.
      memory: summary.rssAfterGcAddedMiB < options.rssTargetMiB,
      latency: summary.worstP99Ms < options.p99TargetMs,
      complete: summary.missing === 0 && summary.failedToOpen === 0,
    };
    log(
      table(
        ['change', 'notified', 'p50 ms', 'p99 ms', 'max ms'],
        rounds.map((r, i) => [`#${i + 1}`, fmtInt(r.count), fmtNum(r.p50), fmtNum(r.p99), fmtNum(r.max)]),
      )
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    log(
      `  streams add ${fmtNum(summary.rssAfterGcAddedMiB)} MiB to the API after a forced GC (${fmtNum(summary.perStreamAfterGcKiB)} KiB each; ${fmtNum(summary.rssAddedMiB)} MiB before it); target < ${options.rssTargetMiB} MiB: ${met.memory ? 'MET' : 'NOT MET'}`,
    );
    log(`  a change reaches every stream: p99 ${fmtNum(summary.p99Ms)} ms (median of rounds), worst p99 ${fmtNum(summary.worstP99Ms)} ms; target < ${options.p99TargetMs} ms: ${met.latency ? 'MET' : 'NOT MET'}`);
    log(`  not notified within 10 s: ${summary.missing}; failed to open: ${summary.failedToOpen}`);

    const failures = [];
    if (!met.complete) failures.push(`${summary.failedToOpen} streams failed to open, ${summary.missing} notifications missing`);
    failures.push(...networkVerdict(guard).failures);
    const json = {
      ...runFacts('push'),
      options,
      seconds: (Date.now() - started) / 1000,
      summary,
      met,
      rounds,
      ok: failures.length === 0,
      failures,
    };
    writeResults(options.output, json, log);
    if (failures.length > 0) throw new Error(`push benchmark FAILED:\n  ${failures.join('\n  ')}`);
    return summary;
  } finally {
    await client?.stop();
    await stack?.stop();
    guard.uninstall();
  }
}

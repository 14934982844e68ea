import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApi, startMongoWire, type Api, type MongoWire } from '@dezky/test-stack';
import { ADMIN, ALICE, CAROL, startIdentity, type Identity } from '../support/identity';

/**
 * Schemathesis, a property-based fuzzer driven by the API's own OpenAPI document, over every
 * operation of /openapi.json: once with a customer's portal token, once with an operator's,
 * both real tokens from the dev IdP, against the built API on a MongoDB-wire server. Its checks
 * (test/fuzz/schemathesis.toml) hold the document to what the server does: no server error,
 * every status code, Content-Type, header and body of every answer documented, and auth
 * required where the document says so.
 *
 * Each caller gets two runs. The first (examples, coverage and fuzzing phases) is bounded by
 * count, `max-examples` per operation and phase, so what it covers does not depend on how busy
 * the machine is. The second (stateful phase: chains of calls linked through the document's
 * links) fills a time budget.
 */

const RUNNER = path.resolve(__dirname, '../../../../scripts/schemathesis.sh');
const CONFIG = path.join(__dirname, 'schemathesis.toml');
/** Seconds each caller's stateful run is given; it repeats until the budget is spent. */
const BUDGET_S = { portal: 25, operator: 40 } as const;
/** A count-bounded run that has not ended after this long has hung. */
const HANG_S = 600;
/** Reproducible by default; FUZZ_SEED=<n> explores elsewhere. */
const SEED = process.env.FUZZ_SEED ?? '20261202';

type CallerName = keyof typeof BUDGET_S;
type RunKind = 'generated' | 'stateful';

/** The parts of schemathesis' JSON run report (`--report json`) the assertions read. */
interface RunReport {
  stop_reason: string;
  complete: boolean;
  operations: { total: number; selected: number; tested: number; errored: number };
  test_cases: { generated: number };
  phases: Record<string, { status: string }>;
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
  warnings: Record<string, string[]>;
  /** Per operation, the positive cases the API answered; those refused 401 or 403 are left out. */
  valid_rates: Record<string, unknown>;
}

interface Run {
  exitCode: number | null;
  report: RunReport;
  output: string;
}

let mongo: MongoWire;
let id: Identity;
let api: Api;
let workDir: string;
/** Every operation of the served document, as schemathesis names them ("GET /tenants/{slug}"). */
let operations: string[];
const runs = new Map<CallerName, Record<RunKind, Run>>();

async function call(token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seeding: ${method} ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A tenant of Alice's attached to a partner, a rollout flag, and users to name: what slug, key and id routes can find. */
async function seed(): Promise<Record<string, string>> {
  const [admin, alice, carol] = await Promise.all([id.token('operator', ADMIN), id.token('portal', ALICE), id.token('operator', CAROL)]);
  await call(alice, 'POST', '/tenants', { slug: 'fuzz-tenant', name: 'Fuzz tenant' });
  const partner = await call(admin, 'POST', '/partners', { slug: 'fuzz-partner', name: 'Fuzz partner', domain: 'fuzz-partner.example', marginPct: 10 });
  await call(admin, 'PATCH', '/tenants/fuzz-tenant', { partnerId: partner.id });
  await call(admin, 'POST', '/flags', { key: 'fuzz_flag', description: 'Fuzz flag' });
  await call(admin, 'PATCH', '/flags/fuzz_flag', { state: 'rollout', pct: 50 });
  // Flags for DELETE to remove, and for protect to protect: the flags every other route is
  // pointed at stay there and unprotected, whatever order the operations run in.
  for (let i = 1; i <= 5; i++) await call(admin, 'POST', '/flags', { key: `fuzz_doomed_${i}`, description: 'Fuzz flag to delete' });
  for (let i = 1; i <= 2; i++) await call(admin, 'POST', '/flags', { key: `fuzz_protectable_${i}`, description: 'Fuzz flag to protect' });
  await call(admin, 'POST', '/flags', { key: 'fuzz_versions', description: 'Fuzz flag with versions' });
  await call(admin, 'PATCH', '/flags/fuzz_versions', { state: 'on' });
  // Webhook endpoints on a closed loopback port (every delivery fails at once): one for every
  // route to find, with a delivery to re-send, and some for DELETE to remove.
  const webhook = async () => (await call(admin, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/fuzz', events: ['flag.*'] })).id as string;
  const webhookId = await webhook();
  const delivery = await call(admin, 'POST', `/webhooks/${webhookId}/test`);
  const doomedWebhooks = await Promise.all(Array.from({ length: 5 }, webhook));
  // Users exist from their first request on.
  await call(carol, 'GET', '/ping');
  // A second administrator, so a flag can be protected and have a change request (the operator's).
  const reviewer = await id.sign('operator', { sub: 'user-fuzz-reviewer', email: 'reviewer@dezky.test', name: 'Fuzz reviewer' });
  await call(reviewer, 'GET', '/ping');
  const users = (await call(admin, 'GET', '/users')).items as { id: string; email: string }[];
  const idOf = (email: string) => users.find((u) => u.email === email)!.id;
  await call(admin, 'PATCH', `/users/${idOf('reviewer@dezky.test')}`, { platformAdmin: true });
  await call(admin, 'POST', '/flags', { key: 'fuzz_guarded', description: 'Fuzz protected flag' });
  const guarded = await call(admin, 'POST', '/flags/fuzz_guarded/protect');
  // Requests the operator may review (written by the reviewer) and ones it wrote, one per route that closes one.
  const open = async (by: string, description: string) =>
    (await call(by, 'POST', '/flags/fuzz_guarded/change-requests', { description }, { 'if-match': guarded.etag as string })).id as string;
  const requests = {
    toApprove: await open(reviewer, 'Fuzz: to approve'),
    toReject: await open(reviewer, 'Fuzz: to reject'),
    toWithdraw: await open(admin, 'Fuzz: to withdraw'),
    mine: await open(admin, 'Fuzz: to read, edit and rebase'),
  };
  const dictionaries: Record<string, string[]> = {
    tenant: ['fuzz-tenant'],
    partner: ['fuzz-partner'],
    flag: ['fuzz_flag', 'gdpr_export_v2'],
    doomedFlag: Array.from({ length: 5 }, (_, i) => `fuzz_doomed_${i + 1}`),
    protectableFlag: ['fuzz_protectable_1', 'fuzz_protectable_2'],
    user: [idOf(ADMIN), idOf(CAROL)],
    // fuzz_versions' versions: created (1), then turned on (2); nothing else touches it.
    versioned: ['fuzz_versions'],
    version: ['1', '2'],
    webhook: [webhookId],
    delivery: [delivery.id as string],
    doomedWebhook: doomedWebhooks,
    changeRequestToApprove: [requests.toApprove],
    changeRequestToReject: [requests.toReject],
    changeRequestToWithdraw: [requests.toWithdraw],
    changeRequest: [requests.mine],
  };
  for (const [name, values] of Object.entries(dictionaries)) {
    writeFileSync(path.join(workDir, `${name}.dict`), values.map((v) => JSON.stringify(v)).join('\n') + '\n');
  }
  return { FUZZ_BYSTANDER: idOf(CAROL) };
}

function schemathesis(caller: CallerName, kind: RunKind, env: Record<string, string>): Promise<Run> {
  const name = `${caller}-${kind}`;
  const reportPath = path.join(workDir, `${name}.json`);
  const bounds = kind === 'generated' ? ['--phases', 'examples,coverage,fuzzing'] : ['--phases', 'stateful', '--max-time', String(BUDGET_S[caller])];
  const args = [
    RUNNER,
    '--config-file',
    path.join(workDir, 'schemathesis.toml'),
    'run',
    `${api.url}/openapi.json`,
    ...bounds,
    '--seed',
    SEED,
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
  ];
  // The budget plus time to start and to finish the requests under way; then it has hung.
  const killAfterS = kind === 'generated' ? HANG_S : BUDGET_S[caller] + 60;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: workDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The budget plus time to start and to finish the requests under way; then it has hung.
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterS * 1000);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      writeFileSync(path.join(workDir, `${name}.log`), output);
      try {
        resolve({ exitCode, report: JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport, output });
      } catch {
        reject(new Error(`schemathesis (${name}) wrote no report; it exited with ${exitCode}:\n${output.slice(-6000)}`));
      }
    });
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'dezky-fuzz-'));
  copyFileSync(CONFIG, path.join(workDir, 'schemathesis.toml'));
  [mongo, id] = await Promise.all([startMongoWire(), startIdentity()]);
  // Budgets on but out of reach: the fuzzer is one address and two users sending as fast as it can.
  const budgets = { RATE_LIMIT_PER_IP: '100000000/10s', RATE_LIMIT_PER_SUBJECT: '100000000/10s', RATE_LIMIT_EVALUATION: '100000000/10s' };
  api = await startApi({
    // Webhook endpoints on loopback for the seeded ones; attempts bounded to 1 s, sent only when asked.
    env: { LOG_LEVEL: 'warn', ACCESS_LOG: 'off', ...id.env, ...budgets, MONGO_URL: mongo.url, MONGO_DB_NAME: 'fuzz', APP_ENV: 'test', WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_POLL_MS: '0', WEBHOOKS_TIMEOUT_MS: '1000' },
  });
  const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`));
  const env = await seed();
  // The customer first, while the seeded tenant is as seeded; then the operator, who changes everything.
  for (const caller of ['portal', 'operator'] as const) {
    const callerEnv = { ...env, FUZZ_TOKEN: await id.token(caller, caller === 'portal' ? ALICE : ADMIN) };
    const generated = await schemathesis(caller, 'generated', callerEnv);
    runs.set(caller, { generated, stateful: await schemathesis(caller, 'stateful', callerEnv) });
  }
}, (2 * HANG_S + BUDGET_S.portal + BUDGET_S.operator + 240) * 1000);

afterAll(async () => {
  await api?.stop();
  await Promise.all([mongo?.stop(), id?.close()]);
});

function describeFailures(run: Run): string {
  const lines = run.report.failures.map((f) => `${f.code} ${f.title} (${f.count}): ${f.operations.join(', ')}`);
  return `${lines.join('\n')}\n\nschemathesis' account (also in ${workDir}):\n${run.output.slice(-12_000)}`;
}

describe.each(['portal', 'operator'] as const)('schemathesis with a %s token', (caller) => {
  it('tests every operation of the document in every phase, without errors', () => {
    const { generated, stateful } = runs.get(caller)!;
    for (const { report, output } of [generated, stateful]) {
      expect(report.errors, output.slice(-6000)).toEqual([]);
      expect(report.operations.total).toBe(operations.length);
      expect(report.operations.selected).toBe(report.operations.total);
      expect(report.operations.errored).toBe(0);
    }
    const { report } = generated;
    expect(report.operations.tested).toBe(report.operations.total);
    expect(report.complete).toBe(true);
    expect(Object.fromEntries(Object.entries(report.phases).map(([phase, { status }]) => [phase, status]))).toMatchObject({
      examples: 'success',
      coverage: 'success',
      fuzzing: 'success',
    });
    expect(report.test_cases.generated).toBeGreaterThan(report.operations.total * 10);
    expect(stateful.report.phases.stateful?.status).toBe('success');
    expect(stateful.report.test_cases.generated).toBeGreaterThan(0);
  });

  it.each(['generated', 'stateful'] as const)(
    'finds no server error, and no status code, Content-Type, header or body the document does not declare (%s run)',
    (kind) => {
      const run = runs.get(caller)![kind];
      expect(run.report.failures, describeFailures(run)).toEqual([]);
      expect(run.exitCode, describeFailures(run)).toBe(0);
    },
  );
});

it('the operator reaches an answer other than 404 on every operation (the seeded data is found)', () => {
  const { report } = runs.get('operator')!.generated;
  expect(report.warnings.missing_test_data ?? []).toEqual([]);
});

it('the operator token gets past authentication on every bearer operation', () => {
  const answered = Object.keys(runs.get('operator')!.generated.report.valid_rates);
  // The event stream takes the signed grant of a bulk evaluation, never a bearer token.
  expect(operations.filter((op) => op !== 'GET /ofrep/v1/events' && !answered.includes(op))).toEqual([]);
});

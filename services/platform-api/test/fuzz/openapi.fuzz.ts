import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { ADMIN, ALICE, CAROL, startIdentity, type Identity } from '../support/identity';
import { startMongoWire, type MongoWireServer } from '../support/mongo-wire';

/**
 * Schemathesis, a property-based fuzzer driven by the API's own OpenAPI document, over every
 * operation of /openapi.json: once with a customer's portal token, once with an operator's,
 * both real tokens from the dev IdP, against the built API on a MongoDB-wire server. Its checks
 * (test/fuzz/schemathesis.toml) hold the document to what the server does: no server error,
 * every status code, Content-Type, header and body of every answer documented, and auth
 * required where the document says so. Each run is bounded by its time budget.
 */

const RUNNER = path.resolve(__dirname, '../../../../scripts/schemathesis.sh');
const CONFIG = path.join(__dirname, 'schemathesis.toml');
/** Seconds each caller is given; the stateful phase repeats until the budget is spent. */
const BUDGET_S = { portal: 50, operator: 80 } as const;
/** Reproducible by default; FUZZ_SEED=<n> explores elsewhere. */
const SEED = process.env.FUZZ_SEED ?? '20261202';

type CallerName = keyof typeof BUDGET_S;

/** The parts of schemathesis' JSON run report (`--report json`) the assertions read. */
interface RunReport {
  stop_reason: string;
  operations: { total: number; selected: number; tested: number; errored: number };
  test_cases: { generated: number };
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

let mongo: MongoWireServer;
let id: Identity;
let api: ApiProcess;
let workDir: string;
/** Every operation of the served document, as schemathesis names them ("GET /tenants/{slug}"). */
let operations: string[];
const runs = new Map<CallerName, Run>();

async function call(token: string, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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
  // Users exist from their first request on.
  await call(carol, 'GET', '/ping');
  const users = (await call(admin, 'GET', '/users')).items as { id: string; email: string }[];
  const idOf = (email: string) => users.find((u) => u.email === email)!.id;
  const dictionaries: Record<string, string[]> = {
    tenant: ['fuzz-tenant'],
    partner: ['fuzz-partner'],
    flag: ['fuzz_flag', 'gdpr_export_v2'],
    user: [idOf(ADMIN), idOf(CAROL)],
  };
  for (const [name, values] of Object.entries(dictionaries)) {
    writeFileSync(path.join(workDir, `${name}.dict`), values.map((v) => JSON.stringify(v)).join('\n') + '\n');
  }
  return { FUZZ_BYSTANDER: idOf(CAROL) };
}

function schemathesis(caller: CallerName, env: Record<string, string>): Promise<Run> {
  const reportPath = path.join(workDir, `${caller}.json`);
  const args = [
    RUNNER,
    '--config-file',
    path.join(workDir, 'schemathesis.toml'),
    'run',
    `${api.url}/openapi.json`,
    '--max-time',
    String(BUDGET_S[caller]),
    '--seed',
    SEED,
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: workDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The budget plus time to start and to finish the requests under way; then it has hung.
    const timer = setTimeout(() => child.kill('SIGKILL'), (BUDGET_S[caller] + 60) * 1000);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      writeFileSync(path.join(workDir, `${caller}.log`), output);
      try {
        resolve({ exitCode, report: JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport, output });
      } catch {
        reject(new Error(`schemathesis (${caller}) wrote no report; it exited with ${exitCode}:\n${output.slice(-6000)}`));
      }
    });
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'dezky-fuzz-'));
  copyFileSync(CONFIG, path.join(workDir, 'schemathesis.toml'));
  [mongo, id] = await Promise.all([startMongoWire(0), startIdentity()]);
  // Budgets on but out of reach: the fuzzer is one address and two users sending as fast as it can.
  const budgets = { RATE_LIMIT_PER_IP: '100000000/10s', RATE_LIMIT_PER_SUBJECT: '100000000/10s', RATE_LIMIT_EVALUATION: '100000000/10s' };
  api = await startApiProcess({ ...id.env, ...budgets, MONGO_URL: mongo.url, MONGO_DB_NAME: 'fuzz', APP_ENV: 'test' });
  const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`));
  const env = await seed();
  // The customer first, while the seeded tenant is as seeded; then the operator, who changes everything.
  runs.set('portal', await schemathesis('portal', { ...env, FUZZ_TOKEN: await id.token('portal', ALICE) }));
  runs.set('operator', await schemathesis('operator', { ...env, FUZZ_TOKEN: await id.token('operator', ADMIN) }));
}, (BUDGET_S.portal + BUDGET_S.operator + 240) * 1000);

afterAll(async () => {
  await api?.stop();
  await Promise.all([mongo?.stop(), id?.close()]);
});

function describeFailures(run: Run): string {
  const lines = run.report.failures.map((f) => `${f.code} ${f.title} (${f.count}): ${f.operations.join(', ')}`);
  return `${lines.join('\n')}\n\nschemathesis' account (also in ${workDir}):\n${run.output.slice(-12_000)}`;
}

describe.each(['portal', 'operator'] as const)('schemathesis with a %s token', (caller) => {
  it('tests every operation of the document, without errors', () => {
    const { report, output } = runs.get(caller)!;
    expect(report.errors, output.slice(-6000)).toEqual([]);
    expect(report.operations.total).toBe(operations.length);
    expect(report.operations.selected).toBe(report.operations.total);
    expect(report.operations.tested).toBe(report.operations.total);
    expect(report.operations.errored).toBe(0);
    expect(report.test_cases.generated).toBeGreaterThan(report.operations.total * 10);
  });

  it('finds no server error, and no status code, Content-Type, header or body the document does not declare', () => {
    const run = runs.get(caller)!;
    expect(run.report.failures, describeFailures(run)).toEqual([]);
    expect(run.exitCode, describeFailures(run)).toBe(0);
  });
});

it('the operator reaches an answer other than 404 on every operation (the seeded data is found)', () => {
  const { report } = runs.get('operator')!;
  expect(report.warnings.missing_test_data ?? []).toEqual([]);
});

it('the operator token gets past authentication on every bearer operation', () => {
  const answered = Object.keys(runs.get('operator')!.report.valid_rates);
  // The event stream takes the signed grant of a bulk evaluation, never a bearer token.
  expect(operations.filter((op) => op !== 'GET /ofrep/v1/events' && !answered.includes(op))).toEqual([]);
});

import { METRIC_NAMES } from '@dezky/contracts';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AccessLog, type FinishedRequest } from '../../src/common/http/access-log';
import { TokenVerifier } from '../../src/modules/auth/token-verifier.service';
import { ChangeFeed } from '../../src/modules/changes/change-feed.service';
import { Metrics } from '../../src/modules/metrics/metrics';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { ADMIN, ALICE, startIdentity, type Identity } from '../support/identity';
import { startSession, type Session } from '../support/session';

/** One scrape: the text, and each sample by `name{label="value",...}` as the text spells it. */
interface Scrape {
  text: string;
  samples: Map<string, number>;
  /** A sample's value; 0 when the scrape has no such line (a counter not yet counted). */
  value(name: string, labels?: Record<string, string>): number;
  has(name: string, labels?: Record<string, string>): boolean;
}

const key = (name: string, labels: Record<string, string> = {}) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
};

async function scrape(t: TestApp): Promise<Scrape> {
  const address = t.app.get(Metrics).address();
  if (!address) throw new Error('metrics are off');
  const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    samples.set(m[1]!, Number(m[2]));
  }
  return {
    text,
    samples,
    value: (name, labels) => samples.get(key(name, labels)) ?? 0,
    has: (name, labels) => samples.has(key(name, labels)),
  };
}

const requests = (method: string, route: string, status: number) => ({ method, route, status: String(status) });

async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /metrics on the metrics port', () => {
  let s: Session;
  let baseUrl: string;
  let metricsUrl: string;

  beforeAll(async () => {
    // A small evaluation budget for Bob to run out of; everyone else's stays out of reach.
    s = await startSession({ RATE_LIMIT_EVALUATION: '40/60s' }, { metrics: true });
    await s.t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(s.t.app.getHttpServer().address() as AddressInfo).port}`;
    metricsUrl = `http://127.0.0.1:${s.t.app.get(Metrics).address()!.port}`;
    await s.alice.post('/tenants', { slug: 'metrics-co', name: 'Metrics Co' }).expect(201);
    await s.bob.post('/tenants', { slug: 'metrics-bob', name: 'Metrics Bob' }).expect(201);
  });
  afterAll(() => s?.close());

  it('counts the serving lane’s answers by route template, with their durations', async () => {
    // The first request of a token goes through Fastify (and puts the token in memory).
    await s.alice.post('/flags/evaluate', { tenantSlug: 'metrics-co' }).expect(200);
    const before = await scrape(s.t);
    const verify = vi.spyOn(s.t.app.get(TokenVerifier), 'verify');
    for (let i = 0; i < 7; i++) await s.alice.post('/flags/evaluate', { tenantSlug: 'metrics-co' }).expect(200);
    for (let i = 0; i < 3; i++) await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'metrics-co' } }).expect(200);
    // Nothing was verified again: the lane answered all ten.
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
    const after = await scrape(s.t);

    const evaluate = requests('POST', '/flags/evaluate', 200);
    expect(after.value('dezky_http_requests_total', evaluate) - before.value('dezky_http_requests_total', evaluate)).toBe(7);
    const bulk = requests('POST', '/ofrep/v1/evaluate/flags', 200);
    expect(after.value('dezky_http_requests_total', bulk) - before.value('dezky_http_requests_total', bulk)).toBe(3);
    expect(after.value('dezky_http_request_duration_seconds_count', evaluate) - before.value('dezky_http_request_duration_seconds_count', evaluate)).toBe(7);
    expect(after.value('dezky_http_request_duration_seconds_bucket', { ...evaluate, le: '+Inf' })).toBe(after.value('dezky_http_request_duration_seconds_count', evaluate));
    // Each of the 7 fell in a bucket: all took under 5 s, and the buckets are cumulative.
    const bucket = (scraped: typeof after, le: string) => scraped.value('dezky_http_request_duration_seconds_bucket', { ...evaluate, le });
    expect(bucket(after, '5') - bucket(before, '5')).toBe(7);
    const les = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
    const counts = les.map((le) => bucket(after, le));
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(after.value('dezky_http_request_duration_seconds_sum', evaluate)).toBeGreaterThan(before.value('dezky_http_request_duration_seconds_sum', evaluate));

    // Each answer of every flag counts once for each flag; one OFREP flag counts for that flag.
    const flag = { flag: 'shared_mailboxes' };
    const evaluationsBefore = after.value('dezky_flag_evaluations_total', flag);
    expect(evaluationsBefore - before.value('dezky_flag_evaluations_total', flag)).toBe(10);
    await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'metrics-co' } }).expect(200);
    const single = await scrape(s.t);
    expect(single.value('dezky_flag_evaluations_total', flag) - evaluationsBefore).toBe(1);
    expect(single.value('dezky_http_requests_total', requests('POST', '/ofrep/v1/evaluate/flags/:key', 200)) - after.value('dezky_http_requests_total', requests('POST', '/ofrep/v1/evaluate/flags/:key', 200))).toBe(1);
  });

  it('counts Fastify’s requests by route template, a URL that matches no route as unmatched, and never writes a URL', async () => {
    const before = await scrape(s.t);
    await s.alice.get('/me').expect(200);
    await s.alice.get('/me').expect(200);
    await s.admin.get('/flags/shared_mailboxes').expect(200);
    await s.alice.get('/no-such-route/hunter2-in-the-path?token=hunter2').expect(404);
    // The public port knows no /metrics: it is answered as any unknown URL.
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
    const after = await scrape(s.t);
    const delta = (labels: Record<string, string>) => after.value('dezky_http_requests_total', labels) - before.value('dezky_http_requests_total', labels);
    expect(delta(requests('GET', '/me', 200))).toBe(2);
    expect(delta(requests('GET', '/flags/:key', 200))).toBe(1);
    expect(delta(requests('GET', 'unmatched', 404))).toBe(2);
    expect(after.has('dezky_http_requests_total', requests('GET', '/flags/shared_mailboxes', 200))).toBe(false);
    expect(after.text).not.toMatch(/hunter2|no-such-route|\/metrics"/);
    // Every request line names a method, a route template and a status, nothing else.
    for (const name of after.samples.keys()) {
      if (name.startsWith('dezky_http_requests_total')) expect(name).toMatch(/^dezky_http_requests_total\{method="[A-Z]+",route="(unmatched|\/[^"]*)",status="\d{3}"\}$/);
    }
  });

  it('counts requests answered 429 per budget', async () => {
    const before = await scrape(s.t);
    let limited = 0;
    for (let i = 0; i < 42; i++) if ((await s.bob.post('/flags/evaluate', { tenantSlug: 'metrics-bob' })).status === 429) limited++;
    // 40 per minute: the 41st and the 42nd are refused, whichever path (the lane or Fastify) took them.
    expect(limited).toBe(2);
    const after = await scrape(s.t);
    const budget = (b: string) => after.value('dezky_rate_limited_requests_total', { budget: b }) - before.value('dezky_rate_limited_requests_total', { budget: b });
    expect(budget('evaluation')).toBe(2);
    expect(budget('per-subject')).toBe(0);
    expect(budget('per-ip')).toBe(0);
    const tooMany = requests('POST', '/flags/evaluate', 429);
    expect(after.value('dezky_http_requests_total', tooMany) - before.value('dezky_http_requests_total', tooMany)).toBe(2);
  });

  it('says the database is up, and which revision the snapshot serves, and how current it is', async () => {
    const before = await scrape(s.t);
    expect(before.value('dezky_mongodb_up')).toBe(1);
    expect(before.value('dezky_snapshot_revision')).toBe(s.t.app.get(ChangeFeed).revision);
    expect(before.value('dezky_snapshot_revision')).toBeGreaterThan(0);
    expect(before.value('dezky_snapshot_age_seconds')).toBeLessThan(6);
    await s.admin.patch('/flags/calendar_sharing_v2', { state: 'on' }).expect(200);
    const after = await scrape(s.t);
    expect(after.value('dezky_snapshot_revision')).toBeGreaterThan(before.value('dezky_snapshot_revision'));
    expect(after.value('dezky_snapshot_age_seconds')).toBeLessThan(1);
    // Default metrics of the process, in this application's registry.
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);
    expect(after.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('counts open event streams, and never shows a stream URL', async () => {
    const bulk = await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'metrics-co' } }).expect(200);
    const uri = bulk.body.eventStreams[0].endpoint.requestUri as string;
    const credential = uri.split('stream=')[1]!;
    expect((await scrape(s.t)).value('dezky_sse_open_streams')).toBe(0);
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}${uri}`, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    const open = await scrape(s.t);
    expect(open.value('dezky_sse_open_streams')).toBe(1);
    expect(open.text).not.toContain(credential);
    expect(open.text).not.toContain(credential.split('.')[1]!);
    expect(open.text).not.toContain('/ofrep/v1/events');
    controller.abort();
    expect(await eventually(async () => (await scrape(s.t)).value('dezky_sse_open_streams') === 0)).toBe(true);
  });

  it('answers GET /metrics only', async () => {
    expect((await fetch(`${metricsUrl}/`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/health`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);
  });

  describe('request ids', () => {
    /** The access log's line for each request finished meanwhile: what `req.id` says. */
    async function loggedIds(send: () => Promise<unknown>): Promise<string[]> {
      const finished = vi.spyOn(AccessLog.prototype, 'finished');
      try {
        await send();
        return finished.mock.calls.map(([, , describe]) => (describe as () => FinishedRequest)().id);
      } finally {
        finished.mockRestore();
      }
    }

    it('takes the caller’s X-Request-Id, echoes it and logs it: on Fastify’s routes, its errors and the serving lane', async () => {
      await s.alice.post('/flags/evaluate', { tenantSlug: 'metrics-co' }).expect(200);
      const verify = vi.spyOn(s.t.app.get(TokenVerifier), 'verify');
      for (const [id, lane, send] of [
        ['click-1.a:b_c-d', false, () => s.alice.get('/me').set('X-Request-Id', 'click-1.a:b_c-d')],
        ['f47ac10b-58cc-4372-a567-0e02b2c3d479', true, () => s.alice.post('/flags/evaluate', { tenantSlug: 'metrics-co' }).set('X-Request-Id', 'f47ac10b-58cc-4372-a567-0e02b2c3d479')],
        ['x'.repeat(128), false, () => s.alice.get('/tenants/no-such-tenant').set('X-Request-Id', 'x'.repeat(128))],
      ] as const) {
        verify.mockClear();
        let res: request.Response | undefined;
        const ids = await loggedIds(async () => (res = await send()));
        expect(res!.headers['x-request-id']).toBe(id);
        expect(ids).toEqual([id]);
        // The lane answered the evaluation (no token verified again); Fastify the others.
        expect(verify.mock.calls.length === 0).toBe(lane);
      }
      verify.mockRestore();
    });

    it('replaces an X-Request-Id that is no plain token with one of its own, and gives one to a request that has none', async () => {
      const given = ['has spaces', 'x'.repeat(129), 'semi;colon', 'quote"d', 'ünïcode'];
      const seen = new Set<string>();
      for (const bad of given) {
        let res: request.Response | undefined;
        // Printable ASCII goes as it is (spaces, quotes and semicolons are legal in a header value);
        // Node's client sends no other bytes, so the unicode one goes percent-encoded.
        const sent = /^[\x20-\x7e]*$/.test(bad) ? bad : encodeURI(bad);
        const ids = await loggedIds(async () => (res = await s.alice.get('/me').set('X-Request-Id', sent)));
        const id = res!.headers['x-request-id'] as string;
        expect(id).toMatch(/^req-[0-9a-z]+$/);
        expect(ids).toEqual([id]);
        seen.add(id);
      }
      for (const send of [() => s.alice.get('/me'), () => s.alice.post('/flags/evaluate', { tenantSlug: 'metrics-co' })]) {
        let res: request.Response | undefined;
        const ids = await loggedIds(async () => (res = await send()));
        expect(res!.headers['x-request-id']).toMatch(/^req-[0-9a-z]+$/);
        expect(ids).toEqual([res!.headers['x-request-id']]);
        seen.add(res!.headers['x-request-id'] as string);
      }
      // Fastify's and the lane's own ids come from one sequence: never the same twice.
      expect(seen.size).toBe(given.length + 2);
    });
  });
});

describe('metrics off', () => {
  it('with METRICS_PORT=0 opens no metrics port and counts nothing', async () => {
    const id = await startIdentity();
    const t = await createTestApp({ ...id.env, METRICS_PORT: '0' });
    try {
      const metrics = t.app.get(Metrics);
      expect(metrics.address()).toBeUndefined();
      expect(metrics.http).toBeUndefined();
      expect(await metrics.registry.metrics()).toBe('\n');
      await request(t.app.getHttpServer()).get('/health').expect(200);
      expect((await request(t.app.getHttpServer()).get('/metrics')).status).toBe(404);
    } finally {
      await t.close();
      await id.close();
    }
  });
});

describe('metrics across processes and through a database outage', () => {
  let id: Identity;
  let mongo: MongoWire;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    id = await startIdentity();
    // A server of its own: this file stops and restarts it.
    mongo = await startMongoWire();
    const dbName = freshDbName('metrics');
    a = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName }, { metrics: true });
    b = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName }, { metrics: true });
    admin = await id.token('operator', ADMIN);
    alice = await id.token('portal', ALICE);
    await request(a.app.getHttpServer()).post('/tenants').auth(alice, { type: 'bearer' }).send({ slug: 'metrics-two', name: 'Two' }).expect(201);
  }, 90_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await mongo?.stop();
    await id?.close();
  });

  it('gives each application its own registry, and B the lag of a change A wrote', async () => {
    expect(a.app.get(Metrics).address()!.port).not.toBe(b.app.get(Metrics).address()!.port);
    expect(b.app.get(ChangeFeed).mode).toBe('stream');
    const before = await scrape(b);
    await request(a.app.getHttpServer()).patch('/flags/shared_mailboxes').auth(admin, { type: 'bearer' }).send({ state: 'on' }).expect(200);
    const revision = a.app.get(ChangeFeed).revision;
    expect(await eventually(async () => (await scrape(b)).value('dezky_snapshot_revision') === revision)).toBe(true);
    const after = await scrape(b);
    expect(after.has('dezky_change_stream_lag_seconds')).toBe(true);
    const lag = after.value('dezky_change_stream_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(3);
    // A's request was A's: B counted none of it.
    const patched = requests('PATCH', '/flags/:key', 200);
    expect(after.value('dezky_http_requests_total', patched)).toBe(before.value('dezky_http_requests_total', patched));
    expect((await scrape(a)).value('dezky_http_requests_total', patched)).toBe(1);
  });

  it('exports every metric of METRIC_NAMES', async () => {
    await request(b.app.getHttpServer()).post('/flags/evaluate').auth(alice, { type: 'bearer' }).send({ tenantSlug: 'metrics-two' }).expect(200);
    const scraped = await scrape(b);
    for (const name of METRIC_NAMES) {
      expect(scraped.text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
      const sampled = [...scraped.samples.keys()].some((k) => k === name || k.startsWith(`${name}{`) || k.startsWith(`${name}_bucket{`));
      expect(sampled, name).toBe(true);
    }
  });

  it('reports MongoDB down and the snapshot ageing during an outage, and current again after it', async () => {
    const port = mongo.port;
    await mongo.stop();
    try {
      expect(await eventually(async () => (await scrape(b)).value('dezky_mongodb_up') === 0, 10_000)).toBe(true);
      const first = (await scrape(b)).value('dezky_snapshot_age_seconds');
      await new Promise((r) => setTimeout(r, 1500));
      const later = await scrape(b);
      expect(later.value('dezky_mongodb_up')).toBe(0);
      expect(later.value('dezky_snapshot_age_seconds')).toBeGreaterThanOrEqual(first + 1.4);
    } finally {
      mongo = await startMongoWire({ port });
    }
    expect(await eventually(async () => (await scrape(b)).value('dezky_mongodb_up') === 1, 15_000)).toBe(true);
    expect(await eventually(async () => (await scrape(b)).value('dezky_snapshot_age_seconds') < 1, 15_000)).toBe(true);
  }, 60_000);
});

import request from 'supertest';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { DatabaseState } from '../../src/common/mongo/database-state';
import { ADMIN, ALICE, BOB, CAROL, startIdentity, type Identity } from '../support/identity';

async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let value = await probe();
  while (!accept(value) && Date.now() - start < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return { value, ms: Date.now() - start };
}

describe('evaluation across processes and through a database outage', () => {
  let id: Identity;
  let mongo: MongoWire;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    id = await startIdentity();
    // A server of its own: this file stops and restarts it.
    mongo = await startMongoWire();
    const dbName = freshDbName('resilience');
    a = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName });
    b = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName });
    admin = await id.token('operator', ADMIN);
    alice = await id.token('portal', ALICE);
    bob = await id.token('portal', BOB);
    carol = await id.token('operator', CAROL);
    await request(a.app.getHttpServer()).post('/tenants').auth(alice, { type: 'bearer' }).send({ slug: 'steady-co', name: 'Steady' }).expect(201);
  }, 90_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await mongo?.stop();
    await id?.close();
  });

  const evaluate = (app: TestApp, token = alice) => request(app.app.getHttpServer()).post('/flags/evaluate').auth(token, { type: 'bearer' }).send({ tenantSlug: 'steady-co' });

  it('two API processes on one database converge within about a second', async () => {
    // B learns of the tenant created through A.
    const seen = await eventually(() => evaluate(b), (r) => r.status === 200, 3000);
    expect(seen.value.status).toBe(200);
    expect(seen.value.body.shared_mailboxes).toBe(false);

    await request(a.app.getHttpServer()).patch('/flags/shared_mailboxes').auth(admin, { type: 'bearer' }).send({ state: 'on' }).expect(200);
    expect((await evaluate(a)).body.shared_mailboxes).toBe(true);
    const converged = await eventually(() => evaluate(b), (r) => r.body.shared_mailboxes === true, 5000);
    expect(converged.value.body.shared_mailboxes).toBe(true);
    expect(converged.ms).toBeLessThan(3000);
  });

  it('keeps answering from memory while MongoDB is down: fast, every stale answer marked, writes 503 at once; and recovers', async () => {
    // Prime what this request path keeps in memory while the database answers.
    expect((await evaluate(a)).status).toBe(200);
    expect((await request(a.app.getHttpServer()).get('/ping').auth(admin, { type: 'bearer' })).status).toBe(200);
    expect((await request(a.app.getHttpServer()).get('/ping').auth(carol, { type: 'bearer' })).status).toBe(200);
    const port = mongo.port;
    await mongo.stop();

    // Requests one after another for 3 s from the moment the server is gone: evaluations (a
    // member and an operator) and the no-op, so each latency is the API's own.
    const timed = async (send: () => request.Test) => {
      const started = performance.now();
      const res = await send();
      return { res, ms: performance.now() - started };
    };
    const answers: { kind: string; status: number; stale: boolean; ms: number }[] = [];
    const kinds = [
      ['member', () => evaluate(a)],
      ['operator', () => evaluate(a, admin)],
      ['ping', () => request(a.app.getHttpServer()).get('/ping').auth(alice, { type: 'bearer' })],
    ] as const;
    const until = Date.now() + 3000;
    for (let i = 0; Date.now() < until; i++) {
      const [kind, send] = kinds[i % kinds.length]!;
      const { res, ms } = await timed(send);
      answers.push({ kind, status: res.status, stale: res.headers['x-flags-stale'] === 'true', ms });
    }
    expect(answers.every((x) => x.status === 200)).toBe(true);
    const p95 = (kind: string) => {
      const ms = answers.filter((x) => x.kind === kind || (kind === 'evaluate' && x.kind !== 'ping')).map((x) => x.ms).sort((x, y) => x - y);
      return ms[Math.ceil(ms.length * 0.95) - 1]!;
    };
    console.log(`during the outage: ${answers.length} answers, p95 evaluate ${p95('evaluate').toFixed(1)} ms, p95 ping ${p95('ping').toFixed(1)} ms`);
    expect(p95('evaluate')).toBeLessThan(50);
    expect(p95('ping')).toBeLessThan(50);
    // Marked from the first stale answer on: once the API knows, no evaluation goes out unmarked.
    const evaluations = answers.filter((x) => x.kind !== 'ping');
    const firstStale = evaluations.findIndex((x) => x.stale);
    expect(firstStale).toBeGreaterThanOrEqual(0);
    expect(evaluations.slice(firstStale).every((x) => x.stale)).toBe(true);
    expect(a.app.get(DatabaseState).available).toBe(false);

    const started = performance.now();
    const write = await request(a.app.getHttpServer()).patch('/flags/shared_mailboxes').auth(admin, { type: 'bearer' }).send({ state: 'off' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(write.status).toBe(503);
    expect(write.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/database is unavailable|MongoDB/i) });
    expect(JSON.stringify(write.body)).not.toMatch(/Mongo\w+Error|at \w+ \(/);
    // Reads that need MongoDB, and a caller never seen before, are refused as fast.
    for (const send of [() => request(a.app.getHttpServer()).get('/tenants').auth(alice, { type: 'bearer' }), () => request(a.app.getHttpServer()).get('/me').auth(bob, { type: 'bearer' })]) {
      const t0 = performance.now();
      const res = await send();
      expect(res.status).toBe(503);
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    // A known caller who is no member of the tenant: refused from memory, as fast.
    const t1 = performance.now();
    const outsider = await evaluate(a, carol);
    expect(outsider.status).toBe(404);
    expect(performance.now() - t1).toBeLessThan(1000);
    // Still served from memory: the flags list for operators.
    const list = await request(a.app.getHttpServer()).get('/flags').auth(admin, { type: 'bearer' });
    expect(list.status).toBe(200);

    // The memory backend restarts empty, like a failover to a fresh node: the point is recovery.
    mongo = await startMongoWire({ port });
    const recovered = await eventually(
      () => request(a.app.getHttpServer()).get('/health'),
      (r) => r.status === 200,
      30_000,
    );
    expect(recovered.value.status).toBe(200);
    const fresh = await eventually(() => evaluate(a, admin), (r) => r.headers['x-flags-stale'] === undefined && r.status !== 503, 30_000);
    expect(fresh.value.headers['x-flags-stale']).toBeUndefined();
  });
});

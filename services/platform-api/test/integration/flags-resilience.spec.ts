import request from 'supertest';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { ADMIN, ALICE, startIdentity, type Identity } from '../support/identity';
import { startMongoWire, type MongoWireServer } from '../support/mongo-wire';

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
  let mongo: MongoWireServer;
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    id = await startIdentity();
    // A server of its own: this file stops and restarts it.
    mongo = await startMongoWire(0);
    const dbName = freshDbName('resilience');
    a = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName });
    b = await createTestApp({ ...id.env, MONGO_URL: mongo.url, MONGO_DB_NAME: dbName });
    admin = await id.token('operator', ADMIN);
    alice = await id.token('portal', ALICE);
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

  it('keeps answering from the last snapshot while MongoDB is down (X-Flags-Stale), refuses writes with 503, and recovers', async () => {
    // Prime the caches this request path uses while the database answers.
    expect((await evaluate(a)).status).toBe(200);
    const port = mongo.port;
    await mongo.stop();

    const stale = await eventually(() => evaluate(a), (r) => r.status === 200 && r.headers['x-flags-stale'] === 'true', 15_000);
    expect(stale.value.status).toBe(200);
    expect(stale.value.headers['x-flags-stale']).toBe('true');
    expect(stale.value.body.shared_mailboxes).toBe(true);

    const write = await request(a.app.getHttpServer()).patch('/flags/shared_mailboxes').auth(admin, { type: 'bearer' }).send({ state: 'off' });
    expect(write.status).toBe(503);
    expect(write.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/database is unavailable|MongoDB/i) });
    expect(JSON.stringify(write.body)).not.toMatch(/Mongo\w+Error|at \w+ \(/);

    // The memory backend restarts empty, like a failover to a fresh node: the point is recovery.
    mongo = await startMongoWire(port);
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

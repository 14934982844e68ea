import request from 'supertest';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';
import { HealthController } from '../../src/modules/health/health.controller';
import { createTestApp, type TestApp } from '../support/app';

async function waitFor<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

describe('GET /health', () => {
  let mongo: MongoWire;
  let t: TestApp;

  beforeAll(async () => {
    // A server of its own: this test stops and restarts it.
    mongo = await startMongoWire();
    t = await createTestApp({ MONGO_URL: mongo.url });
  });

  afterAll(async () => {
    await t?.close();
    await mongo?.stop();
  });

  it('answers 200 with mongo up, anonymously', async () => {
    const res = await request(t.app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', service: 'dezky-platform-api', mongo: 'up' });
  });

  it('says ready and live, anonymously', async () => {
    const ready = await request(t.app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', service: 'dezky-platform-api', mongo: 'up' });
    const live = await request(t.app.getHttpServer()).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', service: 'dezky-platform-api' });
  });

  it('answers 503 with mongo down when the server stops, stays ready and live meanwhile, and recovers without a restart', async () => {
    const port = mongo.port;
    await mongo.stop();
    const down = await waitFor(
      () => request(t.app.getHttpServer()).get('/health'),
      (r) => r.status === 503,
      15_000,
    );
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'error', service: 'dezky-platform-api', mongo: 'down' });
    // The process serves from memory while MongoDB is down: a load balancer keeps sending it
    // requests, and a supervisor does not restart it.
    const ready = await waitFor(
      () => request(t.app.getHttpServer()).get('/health/ready'),
      (r) => r.body.mongo === 'down',
      15_000,
    );
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', service: 'dezky-platform-api', mongo: 'down' });
    expect((await request(t.app.getHttpServer()).get('/health/live')).status).toBe(200);

    mongo = await startMongoWire({ port });
    const up = await waitFor(
      () => request(t.app.getHttpServer()).get('/health'),
      (r) => r.status === 200,
      30_000,
    );
    expect(up.status).toBe(200);
    expect(up.body.mongo).toBe('up');
    const readyAgain = await waitFor(
      () => request(t.app.getHttpServer()).get('/health/ready'),
      (r) => r.body.mongo === 'up',
      15_000,
    );
    expect(readyAgain.body).toEqual({ status: 'ready', service: 'dezky-platform-api', mongo: 'up' });
  });
});

describe('GET /health/ready while the process shuts down', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 stopping from the moment shutdown begins, so a load balancer drains it; liveness stays 200', async () => {
    expect((await request(t.app.getHttpServer()).get('/health/ready')).status).toBe(200);
    // What app.close() (SIGTERM, with shutdown hooks) calls first, before the server closes.
    t.app.get(HealthController).beforeApplicationShutdown();
    const ready = await request(t.app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'stopping', service: 'dezky-platform-api', mongo: 'up' });
    expect((await request(t.app.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});

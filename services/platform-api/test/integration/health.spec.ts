import request from 'supertest';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';
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

  it('answers 503 with mongo down when the server stops, and recovers without a restart', async () => {
    const port = mongo.port;
    await mongo.stop();
    const down = await waitFor(
      () => request(t.app.getHttpServer()).get('/health'),
      (r) => r.status === 503,
      15_000,
    );
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'error', service: 'dezky-platform-api', mongo: 'down' });

    mongo = await startMongoWire({ port });
    const up = await waitFor(
      () => request(t.app.getHttpServer()).get('/health'),
      (r) => r.status === 200,
      30_000,
    );
    expect(up.status).toBe(200);
    expect(up.body.mongo).toBe('up');
  });
});

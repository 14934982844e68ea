import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN, ALICE, startIdentity, type Identity } from '../support/identity';

const WRITERS = 4;
/** Upper bound of tenant creations per writer; the server is killed long before. */
const PER_WRITER = 40;
/** Acknowledged creations after which the server is killed, mid-stream. */
const KILL_AFTER = 24;
const FLAG = 'shared_mailboxes';

async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

describe('the development store (the H2 file of scripts/dev.sh) across a SIGKILL', () => {
  let id: Identity;
  let dir: string;
  let file: string;
  let mongo: MongoWire;
  let t: TestApp;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    id = await startIdentity();
    dir = mkdtempSync(path.join(tmpdir(), 'dezky-store-'));
    file = path.join(dir, 'store.mv');
    // A server of its own, on a file: this test kills it and starts it again on that file.
    mongo = await startMongoWire({ h2File: file });
    t = await createTestApp({ ...id.env, MONGO_URL: mongo.url });
    admin = await id.token('operator', ADMIN);
    alice = await id.token('portal', ALICE);
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await mongo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await id?.close();
  });

  const api = () => request(t.app.getHttpServer());

  it('answers each of many concurrent $inc of one counter with its own value', async () => {
    // The change log numbers its entries this way; two answers alike would be a duplicate key.
    const counters = t.app.get<Connection>(getConnectionToken()).collection<{ _id: string; value: number }>('counter_probe');
    const values: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 25; i++) {
          const doc = await counters.findOneAndUpdate({ _id: 'probe' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
          values.push(doc!.value);
        }
      }),
    );
    expect(values.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('answers the first concurrent $inc of a counter in a new collection with their own values too', async () => {
    // The collection is created by the first of them, which must be answered as it left it, and
    // by one of them only: two creating it at once would each lock a collection of their own.
    // The race is rare (about 1 trial in 500 without the fix), hence many trials.
    const connection = t.app.get<Connection>(getConnectionToken());
    for (let trial = 0; trial < 150; trial++) {
      const counters = connection.collection<{ _id: string; value: number }>(`counter_new_${trial}`);
      const values = await Promise.all(
        Array.from({ length: 8 }, async () => (await counters.findOneAndUpdate({ _id: 'probe' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' }))!.value),
      );
      expect(values.toSorted((a, b) => a - b), `trial ${trial}`).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  /**
   * Customers creating tenants (WRITERS at once, each one request after another, as the portal
   * does) and an operator editing a flag (each edit conditional on the ETag of the one before),
   * until the server is SIGKILLed right after the KILL_AFTER-th acknowledged creation. Then the
   * server starts again on the same file and port, and every acknowledged write must be there.
   */
  async function killMidStreamAndRestart(round: number): Promise<void> {
    const created: string[] = [];
    const edits: { version: number; description: string }[] = [];
    let killed = false;
    let kill: Promise<void> | undefined;

    const tenantWriter = async (w: number) => {
      for (let i = 0; i < PER_WRITER && !killed; i++) {
        const slug = `durable-${round}-${w}-${i}`;
        const res = await api().post('/tenants').auth(alice, { type: 'bearer' }).send({ slug, name: `Durable ${round}.${w}.${i}` });
        // Answered 201 is acknowledged, even when the answer arrives after the kill was sent.
        if (res.status === 201) created.push(slug);
        else if (!killed) throw new Error(`POST /tenants ${slug} answered ${res.status} before the kill: ${JSON.stringify(res.body)}`);
        if (created.length >= KILL_AFTER && !killed) {
          killed = true;
          kill = mongo.kill();
        }
      }
    };
    const flagWriter = async () => {
      let etag = (await api().get(`/flags/${FLAG}`).auth(admin, { type: 'bearer' }).expect(200)).headers.etag as string;
      for (let i = 0; !killed; i++) {
        const description = `round ${round} edit ${i}`;
        const res = await api().patch(`/flags/${FLAG}`).auth(admin, { type: 'bearer' }).set('If-Match', etag).send({ description });
        if (res.status === 200) {
          edits.push({ version: res.body.version, description });
          etag = res.headers.etag as string;
        } else if (!killed) {
          throw new Error(`PATCH /flags/${FLAG} answered ${res.status} before the kill: ${JSON.stringify(res.body)}`);
        }
      }
    };

    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => tenantWriter(w)), flagWriter()]);
    await kill;
    expect(killed).toBe(true);
    expect(created.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(edits.length).toBeGreaterThan(0);

    // The same file, the same port: the API reconnects without a restart.
    mongo = await startMongoWire({ port: mongo.port, h2File: file });
    const health = await eventually(() => api().get('/health'), (r) => r.status === 200, 30_000);
    expect(health.status).toBe(200);

    // Each creation wrote the tenant, the owner's membership and the subscription.
    const lost: string[] = [];
    for (const slug of created) {
      const res = await api().get(`/tenants/${slug}`).auth(alice, { type: 'bearer' });
      if (res.status !== 200 || res.body.role !== 'owner' || res.body.subscription?.status !== 'trialing') lost.push(`${slug} (${res.status})`);
    }
    expect(lost, `${lost.length} of ${created.length} acknowledged tenants lost`).toEqual([]);

    // The last acknowledged edit is there, or the one in flight at the kill on top of it.
    const last = edits.at(-1)!;
    const flag = (await api().get(`/flags/${FLAG}`).auth(admin, { type: 'bearer' }).expect(200)).body;
    if (flag.version === last.version) expect(flag.description).toBe(last.description);
    else expect(flag).toMatchObject({ version: last.version + 1, description: `round ${round} edit ${edits.length}` });
  }

  it('keeps every acknowledged write: concurrent tenant creations and a run of flag edits', () => killMidStreamAndRestart(1), 90_000);

  it('and again on the file it recovered', () => killMidStreamAndRestart(2), 90_000);
});

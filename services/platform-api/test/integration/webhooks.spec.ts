import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { Webhook as Receiver } from 'standardwebhooks';
import type { WebhookDelivery, WebhookPayload, WebhookWithSecret } from '@dezky/contracts';
import { startDnsServer, type DnsServer } from '@dezky/test-stack';
import { Clock } from '../../src/common/clock';
import { WebhookWorker } from '../../src/modules/webhooks/webhook-worker';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { ADMIN, startIdentity, type Identity } from '../support/identity';

const BEARER = { type: 'bearer' as const };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What standardwebhooks' verify made of it with the endpoint's secret: the payload, or its error. */
  verified: WebhookPayload | Error;
}

/**
 * A receiver on 127.0.0.1 that verifies every delivery with standardwebhooks, as a customer's
 * endpoint would, and answers the statuses it is told to (then 200).
 */
class TestReceiver {
  readonly received: Received[] = [];
  /** The statuses of the next answers, in order; 200 once they are spent. */
  readonly answers: number[] = [];
  /** The secret of each path's endpoint. */
  readonly secrets = new Map<string, string>();
  /** Verify at the time the message says it was signed (for tests that move the API's clock by hours). */
  verifyAtSignedTime = false;
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path: req.url ?? '', headers: req.headers, body, verified: this.verify(req.url ?? '', req.headers, body) });
        res.statusCode = this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private verify(path: string, headers: IncomingHttpHeaders, body: string): WebhookPayload | Error {
    const secret = this.secrets.get(path);
    if (!secret) return new Error(`no secret for ${path}`);
    const plain = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
    try {
      if (!this.verifyAtSignedTime) return new Receiver(secret).verify(body, plain) as WebhookPayload;
      vi.useFakeTimers({ now: Number(plain['webhook-timestamp']) * 1000, toFake: ['Date'] });
      try {
        return new Receiver(secret).verify(body, plain) as WebhookPayload;
      } finally {
        vi.useRealTimers();
      }
    } catch (error) {
      return error as Error;
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('webhooks', () => {
  let id: Identity;
  let dns: DnsServer;
  let receiver: TestReceiver;
  let admin: string;
  let a: TestApp;
  let dbName: string;
  let serial = 0;
  const on = (t: TestApp) => request(t.app.getHttpServer());
  const env = () => ({ ...id.env, WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_POLL_MS: '0', DNS_RESOLVER: dns.address, MONGO_DB_NAME: dbName });

  /** Registers an endpoint at a path of the receiver, which then knows its secret. */
  async function register(t: TestApp, events: string[] = ['flag.*'], extra: object = {}): Promise<WebhookWithSecret & { path: string }> {
    const path = `/hook-${++serial}`;
    const res = await on(t).post('/webhooks').auth(admin, BEARER).send({ url: receiver.url(path), events, description: `Receiver ${serial}`, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    receiver.secrets.set(path, res.body.secret);
    return { ...res.body, path };
  }

  /** A fresh flag of its own for each test, so no test sees another's deliveries. */
  async function newFlag(t: TestApp): Promise<string> {
    const key = `hooked_${++serial}`;
    await on(t).post('/flags').auth(admin, BEARER).send({ key, description: 'Hooked' }).expect(201);
    return key;
  }

  const deliveriesOf = async (t: TestApp, webhookId: string): Promise<WebhookDelivery[]> =>
    (await on(t).get(`/webhooks/${webhookId}/deliveries`).auth(admin, BEARER).expect(200)).body.items;

  /** Moves `t`'s clock `ms` ahead for the rest of the test (restored after each). */
  function advance(t: TestApp, ms: number): void {
    const clock = t.app.get(Clock);
    const base = clock.now();
    vi.spyOn(clock, 'now').mockImplementation(() => base + ms);
  }

  beforeAll(async () => {
    id = await startIdentity();
    dns = await startDnsServer();
    receiver = new TestReceiver();
    await receiver.start();
    dbName = freshDbName('webhooks');
    a = await createTestApp(env());
    admin = await id.token('operator', ADMIN);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    // Each test hears only the endpoints it registered.
    for (const w of (await on(a).get('/webhooks?limit=100').auth(admin, BEARER).expect(200)).body.items as { id: string }[]) {
      await on(a).delete(`/webhooks/${w.id}`).auth(admin, BEARER).expect(204);
    }
    receiver.answers.length = 0;
    receiver.verifyAtSignedTime = false;
  });

  afterAll(async () => {
    await a?.close();
    await receiver?.stop();
    await dns?.stop();
    await id?.close();
  });

  it('delivers a flag change and a kill switch, signed as Standard Webhooks says, to the endpoints whose events match', async () => {
    const key = await newFlag(a);
    const all = await register(a, ['flag.*']);
    const killsOnly = await register(a, ['flag.kill']);
    const disabled = await register(a, ['flag.*'], { enabled: false });

    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    await on(a).post(`/flags/${key}/kill`).auth(admin, BEARER).expect(200);
    expect(receiver.received).toHaveLength(0);
    expect(await a.app.get(WebhookWorker).drain()).toBe(3);

    const toAll = receiver.on(all.path);
    expect(toAll.map((r) => r.verified)).toEqual([
      { type: 'flag.update', timestamp: expect.any(String), data: { flag: key, actor: ADMIN, before: expect.objectContaining({ key, state: 'off' }), after: expect.objectContaining({ key, state: 'on' }) } },
      { type: 'flag.kill', timestamp: expect.any(String), data: { flag: key, actor: ADMIN, before: expect.objectContaining({ state: 'on' }), after: expect.objectContaining({ state: 'off', pct: 0 }) } },
    ]);
    for (const r of toAll) {
      expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(r.headers['webhook-signature']).toMatch(/^v1,/);
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(receiver.on(killsOnly.path).map((r) => (r.verified as WebhookPayload).type)).toEqual(['flag.kill']);
    expect(receiver.on(disabled.path)).toEqual([]);

    // Signed with that endpoint's secret and no other.
    const other = new Receiver(killsOnly.secret);
    const plain = Object.fromEntries(Object.entries(toAll[0]!.headers).map(([k, v]) => [k, String(v)]));
    expect(() => other.verify(toAll[0]!.body, plain)).toThrow();

    const log = await deliveriesOf(a, all.id);
    expect(log.map((d) => [d.event, d.status, d.attempts, d.lastError])).toEqual([
      ['flag.kill', 'delivered', 1, null],
      ['flag.update', 'delivered', 1, null],
    ]);
    const listed = (await on(a).get('/webhooks').auth(admin, BEARER).expect(200)).body.items.find((w: { id: string }) => w.id === all.id);
    expect(listed.lastDelivery).toMatchObject({ status: 'delivered', event: 'flag.kill', lastError: null });
  });

  it('retries a failed delivery after backing off, with the same webhook-id, moving the clock rather than waiting', async () => {
    const key = await newFlag(a);
    const hook = await register(a, ['flag.update']);
    const worker = a.app.get(WebhookWorker);
    receiver.answers.push(500);
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    expect(await worker.drain()).toBe(1);

    let [delivery] = await deliveriesOf(a, hook.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', deliveredAt: null });
    // The wait counts from the failed attempt (5 s, jittered by a fifth), not from when the test
    // started the drain: the attempt itself may take a while on a busy machine.
    const wait = Date.parse(delivery!.nextAttemptAt!) - Date.parse(delivery!.lastAttemptAt!);
    expect(wait).toBeGreaterThanOrEqual(4000);
    expect(wait).toBeLessThanOrEqual(6000);

    // Not due yet: nothing is sent.
    expect(await worker.drain()).toBe(0);
    advance(a, 7000);
    expect(await worker.drain()).toBe(1);
    [delivery] = await deliveriesOf(a, hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, nextAttemptAt: null });

    const got = receiver.on(hook.path);
    expect(got).toHaveLength(2);
    expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id']);
    expect(got.every((r) => !(r.verified instanceof Error))).toBe(true);
  });

  it('gives a delivery up after 8 attempts over about a day, each wait longer than the last', async () => {
    const key = await newFlag(a);
    const hook = await register(a, ['flag.update']);
    const worker = a.app.get(WebhookWorker);
    receiver.verifyAtSignedTime = true;
    receiver.answers.push(...Array(8).fill(503));
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    const start = a.app.get(Clock).now();
    const waits: number[] = [];
    let at = start;
    for (let attempt = 1; attempt <= 8; attempt++) {
      // The clock is moved for the worker only: a token is checked against it too.
      advance(a, at - start);
      expect(await worker.drain(), `attempt ${attempt}`).toBe(1);
      vi.restoreAllMocks();
      const [delivery] = await deliveriesOf(a, hook.id);
      expect(delivery!.attempts).toBe(attempt);
      if (attempt < 8) {
        expect(delivery!.status).toBe('pending');
        const next = Date.parse(delivery!.nextAttemptAt!);
        waits.push(next - at);
        at = next;
      } else {
        expect(delivery).toMatchObject({ status: 'failed', nextAttemptAt: null, lastError: 'HTTP 503' });
      }
    }
    for (let i = 1; i < waits.length - 1; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
    const total = at - start;
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(34 * 3_600_000);
    expect(receiver.on(hook.path)).toHaveLength(8);
    expect(receiver.on(hook.path).every((r) => !(r.verified instanceof Error))).toBe(true);
  });

  it('re-sends a delivery now with the same webhook-id, delivered or not', async () => {
    const key = await newFlag(a);
    const hook = await register(a, ['flag.update']);
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    await a.app.get(WebhookWorker).drain();
    const [delivered] = await deliveriesOf(a, hook.id);
    expect(delivered!.status).toBe('delivered');

    const again = await on(a).post(`/webhooks/${hook.id}/deliveries/${delivered!.id}/resend`).auth(admin, BEARER).expect(200);
    expect(again.body).toMatchObject({ id: delivered!.id, status: 'delivered', attempts: 2, messageId: delivered!.messageId });

    receiver.answers.push(500);
    const failed = await on(a).post(`/webhooks/${hook.id}/deliveries/${delivered!.id}/resend`).auth(admin, BEARER).expect(200);
    expect(failed.body).toMatchObject({ status: 'pending', attempts: 3, lastError: 'HTTP 500' });

    const got = receiver.on(hook.path);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivered!.messageId]));
    expect(got.every((r) => !(r.verified instanceof Error))).toBe(true);

    await on(a).post(`/webhooks/${hook.id}/deliveries/${'0'.repeat(24)}/resend`).auth(admin, BEARER).expect(404);
    await on(a).post(`/webhooks/${hook.id}/deliveries/not-an-id/resend`).auth(admin, BEARER).expect(404);
  });

  it('sends a test message to one endpoint on request', async () => {
    const hook = await register(a, ['flag.kill']);
    const res = await on(a).post(`/webhooks/${hook.id}/test`).auth(admin, BEARER).expect(200);
    expect(res.body).toMatchObject({ event: 'webhook.test', status: 'delivered', attempts: 1 });
    expect(receiver.on(hook.path).map((r) => r.verified)).toEqual([{ type: 'webhook.test', timestamp: expect.any(String), data: { webhook: hook.id, actor: ADMIN } }]);
  });

  it('shows the secret only in the answers to create and rotate-secret, never in reads, the audit log or the delivery log', async () => {
    const hook = await register(a, ['flag.*']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
    await on(a).patch(`/webhooks/${hook.id}`).auth(admin, BEARER).send({ description: 'Renamed' }).expect(200);
    const rotated = await on(a).post(`/webhooks/${hook.id}/rotate-secret`).auth(admin, BEARER).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    receiver.secrets.set(hook.path, rotated.body.secret);
    await on(a).post(`/webhooks/${hook.id}/test`).auth(admin, BEARER).expect(200);
    expect(receiver.on(hook.path).map((r) => r.verified instanceof Error)).toEqual([false]);

    const patched = await on(a).patch(`/webhooks/${hook.id}`).auth(admin, BEARER).send({ enabled: true });
    const reads = await Promise.all([
      patched,
      on(a).get('/webhooks').auth(admin, BEARER),
      on(a).get(`/webhooks/${hook.id}`).auth(admin, BEARER),
      on(a).get(`/webhooks/${hook.id}/deliveries`).auth(admin, BEARER),
      on(a).get(`/audit?resourceType=webhook&resourceId=${hook.id}&limit=100`).auth(admin, BEARER),
    ]);
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(hook.secret.slice(6));
      expect(res.text).not.toContain(rotated.body.secret.slice(6));
      expect(res.text).not.toContain('"secret"');
    }
    const audit = reads[4]!.body.items as { action: string }[];
    expect(audit.map((e) => e.action).sort()).toEqual(['webhook.create', 'webhook.rotate_secret', 'webhook.update', 'webhook.update']);
  });

  it('refuses endpoints outside the public internet, naming why, at registration (400) and again at delivery', async () => {
    dns.setAddresses('internal.hooks.test', ['10.1.2.3']);
    dns.setAddresses('metadata.hooks.test', ['169.254.169.254']);
    dns.setAddresses('v6.hooks.test', ['fd00::5']);
    const strict = await createTestApp({ ...id.env, DNS_RESOLVER: dns.address, WEBHOOKS_POLL_MS: '0' });
    try {
      const cases: [string, string][] = [
        ['http://hooks.example.com/x', 'url must use https, not http'],
        ['ftp://hooks.example.com/x', 'url must use https, not ftp'],
        ['https://user:pw@hooks.example.com/x', 'url must not carry a user name or password'],
        ['not a url', 'url must be an absolute URL'],
        ['https://127.0.0.1/x', "url's host 127.0.0.1 is a loopback address"],
        ['https://[::1]/x', "url's host ::1 is a loopback address"],
        ['https://10.0.0.1/x', "url's host 10.0.0.1 is a private address (RFC 1918)"],
        ['https://192.168.1.20/x', "url's host 192.168.1.20 is a private address (RFC 1918)"],
        ['https://169.254.169.254/latest/meta-data', "url's host 169.254.169.254 is a cloud metadata address"],
        ['https://169.254.1.1/x', "url's host 169.254.1.1 is a link-local address"],
        ['https://[fe80::1]/x', "url's host fe80::1 is a link-local address"],
        ['https://100.64.1.1/x', "url's host 100.64.1.1 is a carrier-grade NAT address"],
        ['https://0.0.0.0/x', "url's host 0.0.0.0 is the unspecified address"],
        ['https://internal.hooks.test/x', "url's host internal.hooks.test resolves to 10.1.2.3, a private address (RFC 1918)"],
        ['https://metadata.hooks.test/x', "url's host metadata.hooks.test resolves to 169.254.169.254, a cloud metadata address"],
        ['https://v6.hooks.test/x', "url's host v6.hooks.test resolves to fd00::5, a private address (fc00::/7)"],
        ['https://nowhere.hooks.test/x', "url's host nowhere.hooks.test does not resolve"],
      ];
      for (const [url, message] of cases) {
        const res = await on(strict).post('/webhooks').auth(admin, BEARER).send({ url, events: ['flag.*'] });
        expect(res.status, url).toBe(400);
        expect(res.body.message, url).toContain(message);
      }
      expect((await on(strict).get('/webhooks').auth(admin, BEARER).expect(200)).body.total).toBe(0);

      // A change of URL is checked like a new one.
      dns.setAddresses('public.hooks.test', ['93.184.215.14']);
      const ok = await on(strict).post('/webhooks').auth(admin, BEARER).send({ url: 'https://public.hooks.test/x', events: ['flag.*'] });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const moved = await on(strict).patch(`/webhooks/${ok.body.id}`).auth(admin, BEARER).send({ url: 'https://internal.hooks.test/x' });
      expect(moved.status).toBe(400);
      expect(moved.body.message).toContain('resolves to 10.1.2.3');
      expect((await on(strict).get(`/webhooks/${ok.body.id}`).auth(admin, BEARER).expect(200)).body.url).toBe('https://public.hooks.test/x');
    } finally {
      await strict.close();
    }

    // Rebinding: a name that resolved to an allowed address when registered is checked again before each delivery.
    dns.setAddresses('rebind.hooks.test', ['127.0.0.1']);
    const path = `/hook-${++serial}`;
    const res = await on(a).post('/webhooks').auth(admin, BEARER).send({ url: `http://rebind.hooks.test:${receiver.port}${path}`, events: ['flag.update'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    receiver.secrets.set(path, res.body.secret);
    expect((await on(a).post(`/webhooks/${res.body.id}/test`).auth(admin, BEARER).expect(200)).body.status).toBe('delivered');
    dns.setAddresses('rebind.hooks.test', ['10.9.8.7']);
    const key = await newFlag(a);
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    await a.app.get(WebhookWorker).drain();
    const [refused] = await deliveriesOf(a, res.body.id);
    expect(refused).toMatchObject({ event: 'flag.update', status: 'pending', attempts: 1, lastError: "refused: url's host rebind.hooks.test resolves to 10.9.8.7, a private address (RFC 1918)" });
    expect(receiver.on(path)).toHaveLength(1);
  });

  it('answers bad input with 4xx naming the problem, and changes nothing', async () => {
    const hook = await register(a, ['flag.*']);
    const bad: [object, RegExp][] = [
      [{ url: receiver.url('/x'), events: [] }, /events must name at least one event/],
      [{ url: receiver.url('/x'), events: ['tenant.update'] }, /each of events must be a flag action/],
      [{ url: receiver.url('/x'), events: ['flag.'] }, /each of events must be a flag action/],
      [{ url: receiver.url('/x'), events: 'flag.*' }, /events/],
      [{ events: ['flag.*'] }, /url/],
      [{ url: receiver.url('/x'), events: ['flag.*'], enabled: 'yes' }, /enabled/],
      [{ url: receiver.url('/x'), events: ['flag.*'], secret: 'whsec_mine' }, /secret/],
    ];
    const before = (await on(a).get('/webhooks').auth(admin, BEARER)).body.total;
    for (const [body, message] of bad) {
      const res = await on(a).post('/webhooks').auth(admin, BEARER).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.body.message), JSON.stringify(body)).toMatch(message);
    }
    expect((await on(a).get('/webhooks').auth(admin, BEARER)).body.total).toBe(before);
    expect((await on(a).patch(`/webhooks/${hook.id}`).auth(admin, BEARER).send({})).status).toBe(400);
    expect((await on(a).patch(`/webhooks/${hook.id}`).auth(admin, BEARER).send({ enabled: null })).status).toBe(400);
    for (const missing of ['0'.repeat(24), 'nope']) {
      expect((await on(a).get(`/webhooks/${missing}`).auth(admin, BEARER)).status).toBe(404);
      expect((await on(a).patch(`/webhooks/${missing}`).auth(admin, BEARER).send({ enabled: false })).status).toBe(404);
      expect((await on(a).delete(`/webhooks/${missing}`).auth(admin, BEARER)).status).toBe(404);
      expect((await on(a).post(`/webhooks/${missing}/rotate-secret`).auth(admin, BEARER)).status).toBe(404);
      expect((await on(a).post(`/webhooks/${missing}/test`).auth(admin, BEARER)).status).toBe(404);
      expect((await on(a).get(`/webhooks/${missing}/deliveries`).auth(admin, BEARER)).status).toBe(404);
    }
    expect((await on(a).get(`/webhooks/${hook.id}/deliveries?limit=0`).auth(admin, BEARER)).status).toBe(400);
    await on(a).delete(`/webhooks/${hook.id}`).auth(admin, BEARER).expect(204);
    expect((await on(a).get(`/webhooks/${hook.id}`).auth(admin, BEARER)).status).toBe(404);
  });

  it('loses no queued delivery when the API restarts, and delivers it from the new process', async () => {
    const key = await newFlag(a);
    const hook = await register(a, ['flag.update']);
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'on' }).expect(200);
    await on(a).patch(`/flags/${key}`).auth(admin, BEARER).send({ state: 'off' }).expect(200);
    await a.close();
    a = await createTestApp(env());
    expect(receiver.on(hook.path)).toHaveLength(0);
    expect(await a.app.get(WebhookWorker).drain()).toBe(2);
    expect(receiver.on(hook.path).map((r) => (r.verified as WebhookPayload).data)).toEqual([
      expect.objectContaining({ flag: key, after: expect.objectContaining({ state: 'on' }) }),
      expect.objectContaining({ flag: key, after: expect.objectContaining({ state: 'off' }) }),
    ]);
  });

  it('two API processes on one database deliver each delivery exactly once', async () => {
    const b = await createTestApp(env());
    try {
      const hook = await register(a, ['flag.update']);
      const key = await newFlag(a);
      const changes = 30;
      for (let i = 0; i < changes; i++) await on(i % 2 ? b : a).patch(`/flags/${key}`).auth(admin, BEARER).send({ description: `Change ${i}` }).expect(200);
      const [wa, wb] = [a.app.get(WebhookWorker), b.app.get(WebhookWorker)];
      let attempted = 0;
      for (let round = 0; round < 5; round++) for (const n of await Promise.all([wa.drain(), wb.drain()])) attempted += n;
      expect(attempted).toBe(changes);
      const got = receiver.on(hook.path);
      expect(got).toHaveLength(changes);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(changes);
      expect(got.every((r) => !(r.verified instanceof Error))).toBe(true);
      const db = a.app.get<Connection>(getConnectionToken());
      expect(await db.collection('webhook_deliveries').countDocuments({ webhookId: hook.id, status: 'delivered', attempts: 1 })).toBe(changes);
    } finally {
      await b.close();
    }
  });
});

import request from 'supertest';
import { AccessLog } from '../../src/common/http/access-log';
import { TokenVerifier } from '../../src/modules/auth/token-verifier.service';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * The serving lane answers the evaluation routes' common case in front of Fastify. What it
 * answers must be exactly what the Nest route answers; what it does not answer must reach the
 * Nest route untouched, its body too when the lane has read it. Which of the two answered is
 * told by TokenVerifier: the Nest route's guard calls verify(), the lane only fromMemory().
 */
describe('the serving lane', () => {
  let s: Session;
  let verifier: TokenVerifier;
  let etag: string;

  beforeAll(async () => {
    s = await startSession({ RATE_LIMIT_EVALUATION: '30/60s' });
    verifier = s.t.app.get(TokenVerifier);
    await s.alice.post('/tenants', { slug: 'lane-co', name: 'Lane Co' }).expect(201);
    await s.bob.post('/tenants', { slug: 'bobs-co', name: 'Bob Co' }).expect(201);
    await s.admin.patch('/flags/shared_mailboxes', { state: 'rollout', pct: 50 }).expect(200);
    etag = (await s.admin.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'lane-co' } }).expect(200)).headers.etag as string;
  });
  afterAll(() => s?.close());

  /** What a client can see of an answer; Date and the request's own id aside, which move. */
  const answer = (res: request.Response) => {
    const { date: _date, 'x-request-id': requestId, ...headers } = res.headers;
    expect(requestId).toMatch(/^req-[0-9a-z]+$/);
    return { status: res.status, headers, text: res.text };
  };

  /** The same request answered by the Nest route (memory vouching for no token) and then by whoever takes it. */
  async function bothWays(send: () => request.Test): Promise<{ nest: request.Response; lane: request.Response; verified: number }> {
    const noMemory = vi.spyOn(verifier, 'fromMemory').mockReturnValue(undefined);
    const nest = await send();
    noMemory.mockRestore();
    const verify = vi.spyOn(verifier, 'verify');
    const lane = await send();
    const verified = verify.mock.calls.length;
    verify.mockRestore();
    return { nest, lane, verified };
  }

  const cases: [string, (s: Session) => Caller, string, object, Record<string, string>?][] = [
    ['an operator evaluates a tenant', (x) => x.admin, '/flags/evaluate', { tenantSlug: 'lane-co' }],
    ['a member evaluates her tenant', (x) => x.alice, '/flags/evaluate', { tenantSlug: 'lane-co' }],
    ['a member evaluates her tenant over OFREP', (x) => x.alice, '/ofrep/v1/evaluate/flags', { context: { targetingKey: 'lane-co' } }],
    ['an OFREP client sends the current ETag', (x) => x.alice, '/ofrep/v1/evaluate/flags', { context: { targetingKey: 'lane-co' } }, { 'if-none-match': '' }],
    ['an OFREP client names a tenant it cannot see', (x) => x.alice, '/ofrep/v1/evaluate/flags', { context: { targetingKey: 'bobs-co' } }],
    ['an OFREP client sends no targetingKey', (x) => x.alice, '/ofrep/v1/evaluate/flags', { context: {} }],
  ];

  it.each(cases)('answers exactly as the Nest route when %s, without verifying the token again', async (_what, who, path, body, headers) => {
    const send = () => {
      let req = who(s).post(path, body);
      for (const [name, value] of Object.entries(headers ?? {})) req = req.set(name, value || etag);
      return req;
    };
    const { nest, lane, verified } = await bothWays(send);
    expect(answer(lane)).toEqual(answer(nest));
    expect([200, 304, 400]).toContain(lane.status);
    expect(verified).toBe(0);
  });

  it.each([
    ['a tenant the caller is no member of (404)', { tenantSlug: 'bobs-co' }, 404],
    ['a body with a field evaluation does not know (400)', { tenantSlug: 'lane-co', extra: 1 }, 400],
    ['a body that is no object (400)', [{ tenantSlug: 'lane-co' }], 400],
  ] as const)('hands %s to the Nest route, which answers it', async (_what, body, status) => {
    const { nest, lane, verified } = await bothWays(() => s.alice.post('/flags/evaluate', body as object));
    expect(lane.status).toBe(status);
    expect(answer(lane)).toEqual(answer(nest));
    expect(lane.body).toMatchObject({ statusCode: status });
    expect(verified).toBe(1);
  });

  const deep = (levels: number) => `{"context":{"targetingKey":"lane-co","nested":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
  // Fastify refuses these bodies before the guard runs: the answer is its 400, word for word.
  it.each([
    ['a body that is not JSON', '/flags/evaluate', '{"tenantSlug":', /not valid JSON/],
    ['an OFREP context nested deeper than bodies may be', '/ofrep/v1/evaluate/flags', deep(40), /deeper than 32 levels/],
    ['an OFREP context with a __proto__ key', '/ofrep/v1/evaluate/flags', '{"context":{"targetingKey":"lane-co","__proto__":{"x":1}}}', /^The request body is not valid JSON$/],
  ] as const)('reads and then hands %s to Fastify, which refuses it', async (_what, path, text, message) => {
    const { nest, lane } = await bothWays(() => s.alice.post(path).set('content-type', 'application/json').send(text));
    expect(lane.status).toBe(400);
    expect(lane.body.message).toMatch(message);
    expect(answer(lane)).toEqual(answer(nest));
  });

  it('reads and then hands a body it does not take to the Nest route, which answers it from the same bytes', async () => {
    const { nest, lane, verified } = await bothWays(() => s.alice.post('/flags/evaluate').set('content-type', 'application/json').send(' {"tenantSlug":"lane-co"}'));
    expect(lane.status).toBe(200);
    expect(answer(lane)).toEqual(answer(nest));
    expect(verified).toBe(1);
  });

  it('writes what it answers to the access log, as Fastify does', async () => {
    const finished = vi.spyOn(AccessLog.prototype, 'finished');
    try {
      await s.alice.post('/flags/evaluate', { tenantSlug: 'lane-co' }).expect(200);
      expect(finished).toHaveBeenCalledTimes(1);
      const [status, ms, describe] = finished.mock.calls[0]!;
      expect(status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(describe()).toMatchObject({ method: 'POST', url: '/flags/evaluate', statusCode: 200, responseHeaders: { 'cache-control': 'private, no-cache', 'x-content-type-options': 'nosniff' } });
    } finally {
      finished.mockRestore();
    }
  });

  it('charges a request it hands over once, and leaves the 429 of a spent budget to the guard', async () => {
    // Carol (no member of lane-co, no operator) has 30 evaluations a minute: each is charged,
    // the first by the guard, the others by the lane, which then hands them over (404).
    for (let i = 0; i < 30; i++) expect((await s.carol.post('/flags/evaluate', { tenantSlug: 'lane-co' })).status).toBe(404);
    const spent = await s.carol.post('/flags/evaluate', { tenantSlug: 'lane-co' });
    expect(spent.status).toBe(429);
    expect(spent.body.message).toMatch(/^Too many evaluations for this user: at most 30 per 60 s/);
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('the serving lane, behind a proxy and with CORS', () => {
  let s: Session;
  beforeAll(async () => {
    // The setup's few requests come from 127.0.0.1; the load below from forwarded addresses.
    s = await startSession({ RATE_LIMIT_PER_IP: '10/60s', CORS_ORIGINS: 'http://app.example' });
    await s.alice.post('/tenants', { slug: 'proxied-co', name: 'Proxied Co' }).expect(201);
    await s.alice.post('/flags/evaluate', { tenantSlug: 'proxied-co' }).expect(200);
  });
  afterAll(() => s?.close());

  const from = (address: string, body: object) => s.alice.post('/flags/evaluate', body).set('X-Forwarded-For', address);

  it("charges the forwarded client's address once per request, answered or handed on, as Fastify does", async () => {
    // 10 per address: answered by the lane (200) and handed on (404) alike.
    for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', { tenantSlug: i % 2 ? 'proxied-co' : 'no-such-co' })).status).toBe(i % 2 ? 200 : 404);
    const spent = await from('203.0.113.7', { tenantSlug: 'proxied-co' });
    expect(spent.status).toBe(429);
    expect(spent.body.message).toMatch(/^Too many requests from this address: at most 10 per 60 s/);
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('203.0.113.8', { tenantSlug: 'proxied-co' })).status).toBe(200);
  });

  it('leaves a request with an Origin to Fastify, which adds the CORS headers', async () => {
    const res = await s.alice.post('/flags/evaluate', { tenantSlug: 'proxied-co' }).set('Origin', 'http://app.example').set('X-Forwarded-For', '203.0.113.9');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://app.example');
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Flags-Stale/);
  });
});

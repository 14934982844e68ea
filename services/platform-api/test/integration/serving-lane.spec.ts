import type request from 'supertest';
import { TokenVerifier } from '../../src/modules/auth/token-verifier.service';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * The serving lane answers the evaluation routes' common case before Nest's pipeline. What it
 * answers must be exactly what the Nest route answers; what it does not answer must reach the
 * Nest route untouched. Which of the two answered is told by TokenVerifier: the Nest route's
 * guard calls verify(), the lane only fromMemory().
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

  /** What a client can see of an answer; Date aside, which moves. */
  const answer = (res: request.Response) => {
    const { date: _date, ...headers } = res.headers;
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

import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { ALICE, BOB, startIdentity, type Identity } from '../support/identity';
import { caller, startSession, type Session } from '../support/session';

/** Asserts a 429 as every limited route answers it: Retry-After in whole seconds, a JSON body naming the budget. */
function expectTooMany(res: request.Response, windowSec: number, what: RegExp): number {
  expect(res.status).toBe(429);
  const wait = Number(res.headers['retry-after']);
  expect(Number.isInteger(wait) && wait >= 1 && wait <= windowSec, String(res.headers['retry-after'])).toBe(true);
  expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  expect(res.body.message).toMatch(what);
  return wait;
}

describe('request budgets per subject', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ RATE_LIMIT_PER_SUBJECT: '5/30s', RATE_LIMIT_EVALUATION: '8/30s' });
    await s.alice.post('/tenants', { slug: 'budget-co', name: 'Budget Co' }).expect(201);
  });
  afterAll(() => s?.close());

  it('answers 429 with Retry-After past a user budget, for that user only; evaluation has its own budget', async () => {
    // One request is already spent (creating the tenant).
    for (let i = 0; i < 4; i++) await s.alice.get('/me').expect(200);
    const limited = await s.alice.get('/me');
    expectTooMany(limited, 30, /^Too many requests for this user: at most 5 per 30 s; retry after \d+ s$/);
    expect((await s.alice.get('/tenants/budget-co')).status).toBe(429);
    // Another user has a budget of its own.
    expect((await s.bob.get('/me')).status).toBe(200);

    // Evaluation is charged to its own budget: still open after the general one ran out.
    for (let i = 0; i < 6; i++) await s.alice.post('/flags/evaluate', { tenantSlug: 'budget-co' }).expect(200);
    await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'budget-co' } }).expect(200);
    await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'budget-co' } }).expect(200);
    for (const [path, body] of [
      ['/flags/evaluate', { tenantSlug: 'budget-co' }],
      ['/ofrep/v1/evaluate/flags', { context: { targetingKey: 'budget-co' } }],
      ['/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'budget-co' } }],
    ] as const) {
      expectTooMany(await s.alice.post(path, body), 30, /^Too many evaluations for this user: at most 8 per 30 s; retry after \d+ s$/);
    }
  });
});

describe('request budgets per address', () => {
  let id: Identity;
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    id = await startIdentity();
    t = await createTestApp({ ...id.env, RATE_LIMIT_PER_IP: '6/2s' });
  });
  afterAll(async () => {
    await t?.close();
    await id?.close();
  });

  it('counts every request of an address before authentication, answers 429 with Retry-After, and refills', async () => {
    // Tokens first: signing in through the IdP takes time, and everything from the first request
    // to the check of Alice's must fall in one 2 s window of the address.
    const [alice, bob] = [await id.token('portal', ALICE), await id.token('portal', BOB)];
    const bad = () => http().get('/me').set('Authorization', 'Bearer not.a.token');
    for (let i = 0; i < 6; i++) expect((await bad()).status).toBe(401);
    const limited = await bad();
    const wait = expectTooMany(limited, 2, /^Too many requests from this address: at most 6 per 2 s; retry after \d s$/);
    // Answered before authentication: no challenge, and the security headers as on every answer.
    expect(limited.headers['www-authenticate']).toBeUndefined();
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    // A valid token from the same address is limited too: the budget is the address's.
    expect((await caller(t, alice).get('/me')).status).toBe(429);
    // Another client behind the local proxy (X-Forwarded-For is believed from loopback) has its own.
    expect((await http().get('/me').set('X-Forwarded-For', '203.0.113.7').set('Authorization', `Bearer ${bob}`)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect((await caller(t, alice).get('/me')).status).toBe(200);
  });
});

import fc from 'fast-check';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * Generated invalid bodies against every endpoint that takes one: each must be refused with a
 * 4xx and leave the database exactly as it was, the change log and its counter included.
 */
const COLLECTIONS = ['tenants', 'partners', 'subscriptions', 'memberships', 'audit', 'users', 'flags', 'flag_schedules', 'revisions', 'changes'];

/** Values that are wrong for any field of ours (each field is a string, number, bool or object of strings). */
const poison = fc.oneof(
  fc.constant({ $ne: null }),
  fc.constant({ $gt: '' }),
  fc.constant(null),
  fc.constant([]),
  fc.constant(['$where']),
  fc.string({ minLength: 1001, maxLength: 1200 }),
  fc.double({ noNaN: false }),
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.constant(true),
  fc.constant({}),
);

/** An empty domain list is a valid value (no domains), not a poisoned one. */
const emptyDomains = (field: string, value: unknown) => field === 'domains' && Array.isArray(value) && value.length === 0;

const isEmptyObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/** An empty scope object is a valid draft (no axis changes), not a poisoned one. */
const emptyScope = (field: string, value: unknown) => field === 'scope' && isEmptyObject(value);

/** A step of a planned ramp well ahead, never due while the file runs. */
const PLAN_STEP = { at: new Date(Date.now() + 30 * 86_400_000).toISOString(), state: 'rollout', pct: 25 };
const PLAN = { steps: [PLAN_STEP] };

const FLAG_DRAFT = { description: 'Renamed', state: 'rollout', pct: 30, scope: { plans: ['business'], environments: ['development'] } };

interface Endpoint {
  name: string;
  who: (s: Session) => Caller;
  method: 'post' | 'patch' | 'put';
  path: string;
  headers?: Record<string, string>;
  valid: Record<string, unknown>;
  /** Fields whose poison is only wrong for some values (e.g. `{}` for an optional object). */
  skip?: (field: string, value: unknown) => boolean;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /tenants', who: (s) => s.alice, method: 'post', path: '/tenants', valid: { slug: 'fresh-tenant', name: 'Fresh', plan: 'starter', domains: ['fresh.eu'] }, skip: emptyDomains },
  { name: 'PATCH /tenants/:slug', who: (s) => s.admin, method: 'patch', path: '/tenants/target-co', valid: { name: 'Renamed', plan: 'business', domains: ['target.eu'] }, skip: emptyDomains },
  { name: 'POST /tenants/:slug/domains', who: (s) => s.alice, method: 'post', path: '/tenants/target-co/domains', valid: { domain: 'fresh.eu' } },
  { name: 'PATCH /tenants/:slug/subscription', who: (s) => s.admin, method: 'patch', path: '/tenants/target-co/subscription', valid: { status: 'active', seats: 5 } },
  {
    name: 'POST /partners',
    who: (s) => s.admin,
    method: 'post',
    path: '/partners',
    valid: { slug: 'fresh-partner', name: 'Fresh', domain: 'fresh-partner.eu', marginPct: 10, contactInfo: { email: 'a@b.eu' } },
    skip: (field, value) => field === 'contactInfo' && isEmptyObject(value),
  },
  { name: 'PATCH /partners/:slug', who: (s) => s.admin, method: 'patch', path: '/partners/target-partner', valid: { name: 'Renamed', marginPct: 50 } },
  { name: 'PATCH /users/:id', who: (s) => s.admin, method: 'patch', path: '/users/:carol', valid: { platformAdmin: true }, skip: (field, value) => field === 'platformAdmin' && value === true },
  { name: 'POST /flags', who: (s) => s.admin, method: 'post', path: '/flags', valid: { key: 'fresh_flag', description: 'Fresh' } },
  { name: 'PATCH /flags/:key', who: (s) => s.admin, method: 'patch', path: '/flags/target_flag', headers: { 'If-Match': '*' }, valid: FLAG_DRAFT, skip: emptyScope },
  { name: 'POST /flags/:key/impact', who: (s) => s.admin, method: 'post', path: '/flags/target_flag/impact', valid: FLAG_DRAFT, skip: emptyScope },
  { name: 'POST /flags/evaluate', who: (s) => s.alice, method: 'post', path: '/flags/evaluate', valid: { tenantSlug: 'target-co' } },
  { name: 'PUT /flags/:key/schedule', who: (s) => s.admin, method: 'put', path: '/flags/target_flag/schedule', valid: PLAN },
  { name: 'POST /flags/:key/schedule/preview', who: (s) => s.admin, method: 'post', path: '/flags/target_flag/schedule/preview', valid: PLAN },
];

describe('invalid input never changes anything', () => {
  let s: Session;
  let carolId: string;

  async function snapshot(): Promise<string> {
    const parts = await Promise.all(COLLECTIONS.map((c) => s.db.collection(c).find({}).sort({ _id: 1 }).toArray()));
    return JSON.stringify(parts);
  }

  beforeAll(async () => {
    s = await startSession();
    await s.alice.post('/tenants', { slug: 'target-co', name: 'Target' }).expect(201);
    await s.admin.post('/partners', { slug: 'target-partner', name: 'Target', domain: 'target-partner.eu', marginPct: 5 }).expect(201);
    await s.admin.post('/flags', { key: 'target_flag', description: 'Target' }).expect(201);
    carolId = (await s.carol.get('/me')).body.profile.id;
  });
  afterAll(() => s.close());

  for (const ep of ENDPOINTS) {
    it(`${ep.name}: a poisoned field or an unknown field gives 4xx and no change`, async () => {
      const path = ep.path.replace(':carol', carolId);
      const field = fc.constantFrom(...Object.keys(ep.valid), 'unknownField', '$where', '__proto__x');
      await fc.assert(
        fc.asyncProperty(field, poison, async (key, value) => {
          fc.pre(!ep.skip?.(key, value));
          const before = await snapshot();
          const res = await ep.who(s)[ep.method](path, { ...ep.valid, [key]: value }).set(ep.headers ?? {});
          expect(res.status, `${key}=${JSON.stringify(value)?.slice(0, 80)} -> ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(await snapshot()).toBe(before);
        }),
        { numRuns: 40, seed: 20261124 },
      );
    });
  }

  it('PUT /flags/:key/schedule: a poisoned or unknown field of a step gives 4xx and no change', async () => {
    const field = fc.constantFrom(...Object.keys(PLAN_STEP), 'unknownField', '$where');
    await fc.assert(
      fc.asyncProperty(field, poison, async (key, value) => {
        // A whole number from 0 to 100 is a percentage like any other.
        fc.pre(!(key === 'pct' && Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100));
        const before = await snapshot();
        const res = await s.admin.put('/flags/target_flag/schedule', { steps: [{ ...PLAN_STEP, [key]: value }] });
        expect(res.status, `${key}=${JSON.stringify(value)?.slice(0, 80)} -> ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(await snapshot()).toBe(before);
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });

  // Without If-Match (or with a blank one) a change is unconditional; with one, only "*" or the
  // flag's current tag applies it.
  it('PATCH /flags/:key with a valid draft but a malformed or stale If-Match gives 4xx and no change', async () => {
    const ifMatch = fc.oneof(
      fc.constantFrom('"0-stale"', 'W/"0-stale"', '"a", "b"', 'not-a-tag', '""'),
      fc.stringMatching(/^[ -~]{1,80}$/).filter((v) => v.trim() !== '' && !v.includes('*')),
    );
    await fc.assert(
      fc.asyncProperty(ifMatch, async (value) => {
        const before = await snapshot();
        const res = await s.admin.patch('/flags/target_flag', FLAG_DRAFT).set('If-Match', value);
        expect(res.status, `If-Match ${JSON.stringify(value)} -> ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(await snapshot()).toBe(before);
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });

  it('a body that is not an object is refused too', async () => {
    const before = await snapshot();
    for (const path of ['/partners', '/flags', '/flags/target_flag/impact', '/flags/target_flag/schedule/preview', '/flags/evaluate']) {
      for (const body of ['"a string"', '[1,2]', '42', 'null']) {
        const res = await s.admin.post(path).set('Content-Type', 'application/json').send(body);
        expect(res.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  // Last, since these writes change what the cases above start from.
  it('accepts each valid body as it is, so the refusals above are the poison\'s', async () => {
    for (const ep of ENDPOINTS) {
      const res = await ep.who(s)[ep.method](ep.path.replace(':carol', carolId), ep.valid).set(ep.headers ?? {});
      expect(res.status, `${ep.name} -> ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });
});

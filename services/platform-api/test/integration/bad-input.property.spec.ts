import fc from 'fast-check';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * Generated invalid bodies against every mutation endpoint: each must be refused with a 4xx
 * and leave the database exactly as it was.
 */
const COLLECTIONS = ['tenants', 'partners', 'subscriptions', 'memberships', 'audit', 'users'];

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

interface Endpoint {
  name: string;
  who: (s: Session) => Caller;
  method: 'post' | 'patch';
  path: string;
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
    skip: (field, value) => field === 'contactInfo' && typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0,
  },
  { name: 'PATCH /partners/:slug', who: (s) => s.admin, method: 'patch', path: '/partners/target-partner', valid: { name: 'Renamed', marginPct: 50 } },
  { name: 'PATCH /users/:id', who: (s) => s.admin, method: 'patch', path: '/users/:carol', valid: { platformAdmin: true }, skip: (field, value) => field === 'platformAdmin' && value === true },
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
          const res = await ep.who(s)[ep.method](path, { ...ep.valid, [key]: value });
          expect(res.status, `${key}=${JSON.stringify(value)?.slice(0, 80)} -> ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(await snapshot()).toBe(before);
        }),
        { numRuns: 40, seed: 20261124 },
      );
    });
  }

  it('a body that is not an object is refused too', async () => {
    const before = await snapshot();
    for (const body of ['"a string"', '[1,2]', '42', 'null']) {
      const res = await s.admin.post('/partners').set('Content-Type', 'application/json').send(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await snapshot()).toBe(before);
  });
});

import type { Connection } from 'mongoose';
import { createTestApp, prepareDatabase, type PreparedDatabase } from '../support/app';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * Tenants stored when domains were a plain list of names, as development data still holds them:
 * the API moves them to verified entries at boot, before it serves.
 */
describe('tenants with domains stored as a list of names', () => {
  let prepared: PreparedDatabase;
  let db: Connection;
  let s: Session;
  let admin: Caller;

  const at = new Date('2025-03-01T10:00:00Z');
  const legacy = (slug: string, extra: Record<string, unknown>) => ({ slug, name: slug, plan: 'starter', status: 'active', provisioning: {}, createdAt: at, updatedAt: at, ...extra });
  const raw = (slug: string) => db.collection('tenants').findOne({ slug });

  beforeAll(async () => {
    prepared = await prepareDatabase('legacy');
    db = prepared.db;
    const tenants = db.collection('tenants');
    // The old unique index on the list, and tenants as the old code wrote them.
    await tenants.createIndex({ domains: 1 }, { unique: true, sparse: true });
    await tenants.insertMany([
      legacy('old-one', { domains: ['old-one.eu', 'bücher.de'] }),
      // The same name as old-one's, in punycode: the older tenant keeps it.
      legacy('old-two', { domains: ['xn--bcher-kva.de', 'old-two.eu', 'not_valid.eu'] }),
      legacy('no-domains', {}),
    ]);
    s = await startSession({ MONGO_DB_NAME: prepared.name });
    admin = s.admin;
  });
  afterAll(async () => {
    await s?.close();
    await prepared?.drop();
  });

  it('turns each name into a verified entry in ASCII, set by an operator', async () => {
    const res = await admin.get('/tenants/old-one');
    expect(res.status).toBe(200);
    expect(res.body.domains).toEqual([
      { name: 'old-one.eu', displayName: 'old-one.eu', status: 'verified', verification: null, addedAt: at.toISOString(), verifiedAt: expect.any(String), verifiedBy: 'operator' },
      { name: 'xn--bcher-kva.de', displayName: 'bücher.de', status: 'verified', verification: null, addedAt: at.toISOString(), verifiedAt: expect.any(String), verifiedBy: 'operator' },
    ]);
    expect((await raw('old-one'))?.verifiedDomains).toEqual(['old-one.eu', 'xn--bcher-kva.de']);
  });

  it("leaves a name another tenant already holds pending, and drops one that is no domain name", async () => {
    const res = await admin.get('/tenants/old-two');
    expect(res.body.domains.map((d: { name: string; status: string }) => [d.name, d.status])).toEqual([
      ['xn--bcher-kva.de', 'pending'],
      ['old-two.eu', 'verified'],
    ]);
    expect(res.body.domains[0].verification.value).toMatch(/^dezky-verification=/);
    expect((await raw('old-two'))?.verifiedDomains).toEqual(['old-two.eu']);
    expect((await raw('no-domains'))).not.toHaveProperty('domains');
  });

  it('drops the old unique index, which would have made every pending claim unique', async () => {
    const names = (await db.collection('tenants').indexes()).map((i) => i.name);
    expect(names).not.toContain('domains_1');
    expect(names).toContain('verifiedDomains_1');
    // Two tenants' pending claims of one name, and tenants without domains, live side by side.
    expect((await admin.post('/tenants/no-domains/domains', { domain: 'shared.example' })).status).toBe(201);
    expect((await admin.post('/tenants/old-two/domains', { domain: 'shared.example' })).status).toBe(201);
    expect((await admin.delete('/tenants/no-domains/domains/shared.example')).status).toBe(204);
  });

  it('changes nothing when the API boots again', async () => {
    const before = await db.collection('tenants').find({}).sort({ slug: 1 }).toArray();
    const again = await createTestApp({ ...s.id.env, MONGO_DB_NAME: prepared.name });
    await again.close();
    expect(await db.collection('tenants').find({}).sort({ slug: 1 }).toArray()).toEqual(before);
  });
});

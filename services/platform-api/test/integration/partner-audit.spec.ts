import { Types, type Connection } from 'mongoose';
import { prepareDatabase, type PreparedDatabase } from '../support/app';
import { startSession, type Session } from '../support/session';

/**
 * GET /audit?partnerId= answers a partner's log: its own entries and its tenants' attach and
 * detach, newest first and paged exactly, for entries written now and for ones stored before
 * entries named their partners (given theirs at boot). A tenant's other changes are not the
 * partner's.
 */
describe("a partner's audit log", () => {
  let prepared: PreparedDatabase;
  let db: Connection;
  let s: Session;
  let partnerId = '';
  let otherId = '';
  const stored = { partnerId: new Types.ObjectId().toHexString(), tenantId: new Types.ObjectId().toHexString() };

  beforeAll(async () => {
    prepared = await prepareDatabase('partner_audit');
    db = prepared.db;
    // Entries as an older version stored them: no `partners`.
    const actor = { userId: new Types.ObjectId(), email: 'admin@dezky.test' };
    const at = (minute: number) => new Date(`2025-03-01T10:${String(minute).padStart(2, '0')}:00Z`);
    await db.collection('audit').insertMany([
      { at: at(0), actor, action: 'partner.create', resource: { type: 'partner', id: stored.partnerId }, before: null, after: { id: stored.partnerId } },
      { at: at(1), actor, action: 'tenant.update', resource: { type: 'tenant', id: stored.tenantId }, before: { partnerId: null }, after: { partnerId: stored.partnerId } },
      { at: at(2), actor, action: 'tenant.update', resource: { type: 'tenant', id: stored.tenantId }, before: { partnerId: stored.partnerId, name: 'a' }, after: { partnerId: stored.partnerId, name: 'b' } },
    ]);
    s = await startSession({ MONGO_DB_NAME: prepared.name });

    partnerId = (await s.admin.post('/partners', { slug: 'fjord-systems', name: 'Fjord Systems', domain: 'fjord.example', marginPct: 15 }).expect(201)).body.id;
    otherId = (await s.admin.post('/partners', { slug: 'other-reseller', name: 'Other', domain: 'other.example', marginPct: 10 }).expect(201)).body.id;
    for (const slug of ['kelp-co', 'tide-co']) await s.alice.post('/tenants', { slug, name: slug, plan: 'starter' }).expect(201);
    await s.admin.patch('/tenants/kelp-co', { partnerId }).expect(200);
    // Moved to another partner: a detach for this one, an attach for the other.
    await s.admin.patch('/tenants/kelp-co', { partnerId: otherId }).expect(200);
    await s.admin.patch('/tenants/tide-co', { partnerId }).expect(200);
    // While it stays with its partner, a tenant's rename or plan is not the partner's.
    await s.admin.patch('/tenants/tide-co', { name: 'Tide Renamed' }).expect(200);
    await s.admin.patch('/tenants/tide-co', { plan: 'business' }).expect(200);
    await s.admin.patch('/partners/fjord-systems', { marginPct: 20 }).expect(200);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await prepared?.drop();
  });

  type Entry = { action: string; resource: { type: string; id: string }; after: { slug?: string; partnerId?: string | null } | null };
  const log = async (query: string) => {
    const res = await s.admin.get(`/audit?${query}`).expect(200);
    return { total: res.body.total as number, items: res.body.items as Entry[] };
  };
  const describeEntry = (e: Entry) => `${e.action} ${e.resource.type === 'tenant' ? e.after?.slug : e.resource.type}`;

  it("lists the partner's own entries and its tenants' attach and detach, newest first", async () => {
    const { total, items } = await log(`partnerId=${partnerId}`);
    expect(items.map(describeEntry)).toEqual(['partner.update partner', 'tenant.update tide-co', 'tenant.update kelp-co', 'tenant.update kelp-co', 'partner.create partner']);
    expect(total).toBe(5);
    // The move to the other partner is in both logs.
    expect((await log(`partnerId=${otherId}`)).items.map(describeEntry)).toEqual(['tenant.update kelp-co', 'partner.create partner']);
  });

  it('pages exactly, and narrows by action like any other filter', async () => {
    const pages = await Promise.all([0, 2, 4].map((offset) => log(`partnerId=${partnerId}&limit=2&offset=${offset}`)));
    expect(pages.map((p) => p.items.map(describeEntry))).toEqual([
      ['partner.update partner', 'tenant.update tide-co'],
      ['tenant.update kelp-co', 'tenant.update kelp-co'],
      ['partner.create partner'],
    ]);
    expect(pages.every((p) => p.total === 5)).toBe(true);
    expect((await log(`partnerId=${partnerId}&action=partner.create`)).items.map(describeEntry)).toEqual(['partner.create partner']);
  });

  it('gives entries stored before entries named their partners theirs at boot', async () => {
    const { total, items } = await log(`partnerId=${stored.partnerId}`);
    expect(total).toBe(2);
    expect(items.map((e) => e.action)).toEqual(['tenant.update', 'partner.create']);
    expect(await db.collection('audit').countDocuments({ partners: { $exists: false } })).toBe(0);
  });

  it('refuses a partner id that is no id, naming the parameter', async () => {
    const res = await s.admin.get('/audit?partnerId=fjord-systems').expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/partnerId/);
  });
});

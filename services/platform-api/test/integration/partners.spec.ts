import { PLAN_SEAT_PRICE_CENTS, PLANS, SUBSCRIPTION_STATUSES } from '@dezky/contracts';
import { startSession, type Session } from '../support/session';

const PARTNERS = [
  { slug: 'nordic-it', marginPct: 20 },
  { slug: 'alpine-cloud', marginPct: 15 },
  { slug: 'iberia-net', marginPct: 30 },
  { slug: 'baltic-ops', marginPct: 0 },
  { slug: 'rhine-systems', marginPct: 33 },
];

/** 60 tenants: plan, partner (or none), seats and subscription status vary independently. */
const TENANTS = Array.from({ length: 60 }, (_, i) => ({
  slug: `shop-${String(i).padStart(2, '0')}`,
  plan: PLANS[i % 3]!,
  partner: i % 6 < 5 ? PARTNERS[i % 6]!.slug : null,
  seats: 1 + (i % 7),
  status: SUBSCRIPTION_STATUSES[(i * 7) % 3]!,
}));

describe('partners', () => {
  let s: Session;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    s = await startSession();
    for (const p of PARTNERS) {
      const res = await s.admin.post('/partners', { slug: p.slug, name: p.slug.toUpperCase(), domain: `${p.slug}.eu`, marginPct: p.marginPct });
      expect(res.status).toBe(201);
      ids.set(p.slug, res.body.id);
    }
    for (const t of TENANTS) {
      expect((await s.alice.post('/tenants', { slug: t.slug, name: t.slug, plan: t.plan })).status).toBe(201);
      if (t.partner) expect((await s.admin.patch(`/tenants/${t.slug}`, { partnerId: ids.get(t.partner) })).status).toBe(200);
      expect((await s.admin.patch(`/tenants/${t.slug}/subscription`, { seats: t.seats, status: t.status })).status).toBe(200);
    }
  }, 120_000);
  afterAll(() => s.close());

  it('lists customers, MRR and margin per partner, equal to the values computed by hand', async () => {
    const res = await s.admin.get('/partners?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(PARTNERS.length);
    for (const p of PARTNERS) {
      const mine = TENANTS.filter((t) => t.partner === p.slug);
      const billed = (status: string) => mine.filter((t) => t.status === status).reduce((sum, t) => sum + t.seats * PLAN_SEAT_PRICE_CENTS[t.plan], 0);
      const mrr = billed('active');
      const row = res.body.items.find((r: { slug: string }) => r.slug === p.slug);
      expect(row, p.slug).toMatchObject({
        customers: mine.length,
        mrr,
        margin: Math.round((mrr * p.marginPct) / 100),
        trialing: mine.filter((t) => t.status === 'trialing').length,
        trialingMrr: billed('trialing'),
      });
    }
    // Spot-check one partner fully by hand: nordic-it holds shop-00, 06, 12, ..., 54 (10 tenants).
    const nordic = res.body.items.find((r: { slug: string }) => r.slug === 'nordic-it');
    expect(nordic.customers).toBe(10);
  });

  it('a partner counts no tenant after they are detached', async () => {
    await s.admin.patch('/tenants/shop-00', { partnerId: null }).expect(200);
    expect((await s.admin.get('/partners/nordic-it')).body.customers).toBe(9);
    await s.admin.patch('/tenants/shop-00', { partnerId: ids.get('nordic-it') }).expect(200);
    expect((await s.admin.get('/partners/nordic-it')).body.customers).toBe(10);
  });

  it("lists a partner's tenants", async () => {
    const res = await s.admin.get('/partners/alpine-cloud/tenants?limit=100');
    expect(res.body.total).toBe(TENANTS.filter((t) => t.partner === 'alpine-cloud').length);
    expect(res.body.items.every((t: { partner: { slug: string } }) => t.partner.slug === 'alpine-cloud')).toBe(true);
  });

  it('creates with contact and billing cards, refuses a duplicate slug and bad fields', async () => {
    const body = {
      slug: 'atlantic-partners',
      name: 'Atlantic Partners Ltd',
      domain: 'atlantic.ie',
      marginPct: 12,
      contactInfo: { name: 'Siobhan Kelly', email: 'siobhan@atlantic.ie', phone: '+353 1 234 5678' },
      billingInfo: { company: 'Atlantic Partners Ltd', vatId: 'IE1234567T', address: '1 Quay St, Dublin', email: 'billing@atlantic.ie' },
    };
    const res = await s.admin.post('/partners', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, status: 'active', terminatedAt: null, customers: 0, mrr: 0, margin: 0, trialing: 0, trialingMrr: 0 });
    expect((await s.admin.post('/partners', body)).status).toBe(409);
    for (const bad of [
      { ...body, slug: 'x' },
      { ...body, slug: 'fresh-one', marginPct: 101 },
      { ...body, slug: 'fresh-one', marginPct: -1 },
      { ...body, slug: 'fresh-one', marginPct: 'ten' },
      { ...body, slug: 'fresh-one', domain: 'not a domain' },
      { ...body, slug: 'fresh-one', contactInfo: { email: 'nope' } },
      { ...body, slug: 'fresh-one', billingInfo: { vatId: '123' } },
      { ...body, slug: 'fresh-one', status: 'terminated' },
    ]) {
      expect((await s.admin.post('/partners', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await s.admin.get('/partners/fresh-one')).status).toBe(404);
  });

  it("stores the partner's domain in its ASCII form, and refuses one that has none with 400 naming it", async () => {
    const created = await s.admin.post('/partners', { slug: 'bucher-partner', name: 'Bücher Partner', domain: 'Bücher-IT.DE.', marginPct: 5 });
    expect(created.status).toBe(201);
    expect(created.body.domain).toBe('xn--bcher-it-65a.de');
    const renamed = await s.admin.patch('/partners/bucher-partner', { domain: '\u0430cme.eu' });
    expect(renamed.body.domain).toBe('xn--cme-5cd.eu');
    expect((await s.db.collection('partners').findOne({ slug: 'bucher-partner' }))?.domain).toBe('xn--cme-5cd.eu');
    for (const domain of ['partner_it.de', 'localhost', 'bad..de']) {
      const res = await s.admin.patch('/partners/bucher-partner', { domain });
      expect(res.status, domain).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(domain);
    }
    expect((await s.admin.get('/partners/bucher-partner')).body.domain).toBe('xn--cme-5cd.eu');
  });

  it('updates fields; a given card replaces the whole card', async () => {
    const res = await s.admin.patch('/partners/atlantic-partners', { marginPct: 18, contactInfo: { name: 'Aoife Byrne' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ marginPct: 18, contactInfo: { name: 'Aoife Byrne' }, billingInfo: { vatId: 'IE1234567T' } });
    expect(res.body.contactInfo).not.toHaveProperty('email');
    expect((await s.admin.patch('/partners/atlantic-partners', { slug: 'renamed' })).status).toBe(400);
    expect((await s.admin.patch('/partners/atlantic-partners', {})).status).toBe(400);
    expect((await s.admin.patch('/partners/no-such-partner', { name: 'x' })).status).toBe(404);
  });

  it('terminates softly: status and date set, tenants still attached, new attachments refused', async () => {
    const res = await s.admin.delete('/partners/rhine-systems');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'terminated', terminatedAt: expect.any(String) });
    expect(res.body.customers).toBe(TENANTS.filter((t) => t.partner === 'rhine-systems').length);
    const again = await s.admin.delete('/partners/rhine-systems');
    expect(again.body.terminatedAt).toBe(res.body.terminatedAt);
    expect(await s.db.collection('partners').countDocuments({ slug: 'rhine-systems' })).toBe(1);
    const attach = await s.admin.patch('/tenants/shop-05', { partnerId: ids.get('rhine-systems') });
    expect(attach.status).toBe(409);
    expect((await s.admin.get('/partners?status=terminated')).body.items.map((p: { slug: string }) => p.slug)).toEqual(['rhine-systems']);
  });

  it('every change is in the audit log with its actor, newest first', async () => {
    const res = await s.admin.get(`/audit?resourceType=partner&resourceId=${ids.get('rhine-systems')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['partner.terminate', 'partner.create']);
    expect(res.body.items[0]).toMatchObject({
      actor: { email: 'admin@dezky.test', userId: expect.stringMatching(/^[0-9a-f]{24}$/) },
      resource: { type: 'partner', id: ids.get('rhine-systems') },
      before: expect.objectContaining({ status: 'active' }),
      after: expect.objectContaining({ status: 'terminated' }),
    });
    const tenantChanges = await s.admin.get('/audit?resourceType=tenant&action=tenant.update&limit=5');
    expect(tenantChanges.body.items[0]).toMatchObject({ before: expect.objectContaining({ slug: 'shop-00' }), after: expect.objectContaining({ slug: 'shop-00' }) });
    const byAlice = await s.admin.get('/audit?actorEmail=alice@customer.test&action=tenant.create&limit=100');
    expect(byAlice.body.total).toBe(TENANTS.length);
    const subs = await s.admin.get('/audit?resourceType=subscription&action=subscription.update&limit=1');
    expect(subs.body.items[0].after).toHaveProperty('monthlyPrice');
  });

  it('offers no way to change or delete audit entries', async () => {
    const entry = (await s.admin.get('/audit?limit=1')).body.items[0];
    for (const method of ['patch', 'put', 'delete'] as const) {
      expect((await s.admin[method](`/audit/${entry.id}`, {})).status).toBe(404);
      expect((await s.admin[method]('/audit', {})).status).toBe(404);
    }
  });
});

import { Types } from 'mongoose';
import { startSession, type Session } from '../support/session';

describe('tenants', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(() => s.close());

  const raw = (slug: string) => s.db.collection('tenants').findOne({ slug });

  it('a signed-in customer creates a tenant: owner, trial subscription, provisioning recorded', async () => {
    const res = await s.alice.post('/tenants', { slug: 'alpha-gmbh', name: 'Alpha GmbH', plan: 'business', domains: ['Alpha.EU', 'mail.alpha.eu'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      slug: 'alpha-gmbh',
      name: 'Alpha GmbH',
      plan: 'business',
      domains: [expect.objectContaining({ name: 'alpha.eu', status: 'pending' }), expect.objectContaining({ name: 'mail.alpha.eu', status: 'pending' })],
      status: 'active',
      partnerId: null,
      partner: null,
      role: 'owner',
      subscription: { plan: 'business', status: 'trialing', seats: 1, monthlyPrice: 900, currency: 'EUR' },
      provisioning: { authentik: { state: 'skipped', at: expect.any(String), detail: 'Authentik provisioning is not configured on this installation' } },
    });
    expect(res.body).not.toHaveProperty('_id');
    expect(res.body).not.toHaveProperty('__v');
    const me = await s.alice.get('/me');
    expect(me.body.tenants).toEqual([
      expect.objectContaining({ slug: 'alpha-gmbh', name: 'Alpha GmbH', plan: 'business', status: 'active', role: 'owner', subscription: expect.objectContaining({ status: 'trialing' }) }),
    ]);
    expect(me.body.subscription).toMatchObject({ plan: 'business', monthlyPrice: 900 });
  });

  it('refuses a duplicate slug (409) and a domain another tenant has verified (409), changing nothing', async () => {
    await s.admin.post('/tenants/alpha-gmbh/domains/alpha.eu/mark-verified').expect(200);
    const before = await s.db.collection('tenants').countDocuments();
    expect((await s.bob.post('/tenants', { slug: 'alpha-gmbh', name: 'Copycat' })).status).toBe(409);
    const dom = await s.bob.post('/tenants', { slug: 'beta-ag', name: 'Beta', domains: ['alpha.eu'] });
    expect(dom.status).toBe(409);
    expect(dom.body.message).toContain('alpha.eu');
    expect(await s.db.collection('tenants').countDocuments()).toBe(before);
  });

  it.each([
    [{ slug: 'ab', name: 'x' }, 'slug'],
    [{ slug: 'Has-Caps', name: 'x' }, 'slug'],
    [{ slug: 'double--hyphen', name: 'x' }, 'slug'],
    [{ slug: '-edge', name: 'x' }, 'slug'],
    [{ slug: 'a'.repeat(41), name: 'x' }, 'slug'],
    [{ slug: 'ok-slug', name: '' }, 'name'],
    [{ slug: 'ok-slug', name: 'x'.repeat(201) }, 'name'],
    [{ slug: 'ok-slug', name: 'x', plan: 'platinum' }, 'plan'],
    [{ slug: 'ok-slug', name: 'x', domains: ['not a host'] }, 'domain'],
    [{ slug: 'ok-slug', name: 'x', domains: ['a.eu', 'A.eu'] }, 'domains'],
    [{ slug: { $ne: null }, name: 'x' }, 'slug'],
    [{ slug: 'ok-slug', name: 'x', owner: 'me' }, 'owner'],
  ])('refuses %o with 400 naming %s', async (body, field) => {
    const res = await s.alice.post('/tenants', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain(field);
  });

  it('shows a tenant to its members and operators, and 404 to anyone else', async () => {
    expect((await s.alice.get('/tenants/alpha-gmbh')).status).toBe(200);
    const op = await s.admin.get('/tenants/alpha-gmbh');
    expect(op.status).toBe(200);
    expect(op.body.role).toBeNull();
    // The same answer as for a tenant that does not exist: existence is not revealed.
    const other = await s.bob.get('/tenants/alpha-gmbh');
    expect(other.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Tenant alpha-gmbh not found' });
    expect((await s.bob.get('/tenants/no-such-tenant')).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Tenant no-such-tenant not found' });
    expect((await s.carol.get('/tenants/alpha-gmbh')).status).toBe(404);
  });

  it('lists every tenant to operators with filters, and only their own to customers', async () => {
    await s.bob.post('/tenants', { slug: 'bob-bakery', name: 'Bob Bakery', plan: 'starter' }).expect(201);
    const all = await s.admin.get('/tenants?limit=100');
    expect(all.body.items.map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['alpha-gmbh', 'bob-bakery']));
    expect((await s.admin.get('/tenants?plan=starter')).body.items.map((t: { slug: string }) => t.slug)).toContain('bob-bakery');
    expect((await s.admin.get('/tenants?plan=starter')).body.items.map((t: { slug: string }) => t.slug)).not.toContain('alpha-gmbh');
    expect((await s.admin.get('/tenants?search=ALPHA')).body.items.map((t: { slug: string }) => t.slug)).toEqual(['alpha-gmbh']);
    const mine = await s.bob.get('/tenants');
    expect(mine.body).toMatchObject({ total: 1, items: [expect.objectContaining({ slug: 'bob-bakery' })] });
    expect((await s.admin.get('/tenants?limit=101')).status).toBe(400);
    expect((await s.admin.get('/tenants?status=deleted')).status).toBe(400);
    const page = await s.admin.get('/tenants?limit=1&offset=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
  });

  it('operators attach and detach a partner; detaching removes the field', async () => {
    const partner = (await s.admin.post('/partners', { slug: 'reseller-one', name: 'Reseller One', domain: 'reseller.one', marginPct: 25 })).body;
    const attached = await s.admin.patch('/tenants/alpha-gmbh', { partnerId: partner.id });
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({ partnerId: partner.id, partner: { id: partner.id, slug: 'reseller-one', name: 'Reseller One' } });
    expect((await raw('alpha-gmbh'))?.partnerId).toEqual(new Types.ObjectId(partner.id));

    const detached = await s.admin.patch('/tenants/alpha-gmbh', { partnerId: null });
    expect(detached.status).toBe(200);
    expect(detached.body.partnerId).toBeNull();
    const doc = await raw('alpha-gmbh');
    expect(doc).not.toHaveProperty('partnerId');
  });

  it('refuses an unknown partner (400), a malformed id (400) and a terminated partner (409)', async () => {
    expect((await s.admin.patch('/tenants/alpha-gmbh', { partnerId: new Types.ObjectId().toHexString() })).status).toBe(400);
    expect((await s.admin.patch('/tenants/alpha-gmbh', { partnerId: 'zzz' })).status).toBe(400);
    expect((await s.admin.patch('/tenants/alpha-gmbh', { partnerId: { $ne: null } })).status).toBe(400);
    const gone = (await s.admin.post('/partners', { slug: 'gone-partner', name: 'Gone', domain: 'gone.example', marginPct: 5 })).body;
    await s.admin.delete('/partners/gone-partner').expect(200);
    const res = await s.admin.patch('/tenants/alpha-gmbh', { partnerId: gone.id });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('terminated');
    expect(await raw('alpha-gmbh')).not.toHaveProperty('partnerId');
  });

  it('operators change name, plan (the subscription follows) and domains; customers cannot', async () => {
    expect((await s.alice.patch('/tenants/alpha-gmbh', { name: 'Mine now' })).status).toBe(403);
    const res = await s.admin.patch('/tenants/alpha-gmbh', { name: 'Alpha Europe GmbH', plan: 'enterprise', domains: ['alpha.eu'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Alpha Europe GmbH',
      plan: 'enterprise',
      domains: [expect.objectContaining({ name: 'alpha.eu', status: 'verified' })],
      subscription: { plan: 'enterprise', monthlyPrice: 1800 },
    });
    const cleared = await s.admin.patch('/tenants/alpha-gmbh', { domains: [] });
    expect(cleared.body.domains).toEqual([]);
    expect(await raw('alpha-gmbh')).not.toHaveProperty('domains');
    expect(await raw('alpha-gmbh')).not.toHaveProperty('verifiedDomains');
    expect((await s.admin.patch('/tenants/alpha-gmbh', {})).status).toBe(400);
    expect((await s.admin.patch('/tenants/nope-nope', { name: 'x' })).status).toBe(404);
  });

  it('suspend and resume are operator-only and idempotent', async () => {
    expect((await s.alice.post('/tenants/alpha-gmbh/suspend')).status).toBe(403);
    for (let i = 0; i < 2; i++) {
      const r = await s.admin.post('/tenants/alpha-gmbh/suspend');
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('suspended');
    }
    const audits = await s.admin.get('/audit?action=tenant.suspend');
    expect(audits.body.total).toBe(1);
    const resumed = await s.admin.post('/tenants/alpha-gmbh/resume');
    expect(resumed.body.status).toBe('active');
    expect((await s.admin.post('/tenants/alpha-gmbh/resume')).body.status).toBe('active');
  });

  it('reconcile: owner and operator yes, a plain member 403, others 404', async () => {
    const tenant = await raw('alpha-gmbh');
    const bobUser = await s.db.collection('users').findOne({ email: 'bob@customer.test' });
    await s.db.collection('memberships').insertOne({ userId: bobUser!._id, tenantId: tenant!._id, role: 'member', createdAt: new Date(), updatedAt: new Date() });
    expect((await s.alice.post('/tenants/alpha-gmbh/reconcile')).body).toEqual({ provisioning: { authentik: expect.objectContaining({ state: 'skipped' }) } });
    expect((await s.admin.post('/tenants/alpha-gmbh/reconcile')).status).toBe(200);
    const member = await s.bob.post('/tenants/alpha-gmbh/reconcile');
    expect(member.status).toBe(403);
    expect(member.body.message).toContain('owner');
    expect((await s.carol.post('/tenants/alpha-gmbh/reconcile')).status).toBe(404);
    await s.db.collection('memberships').deleteOne({ userId: bobUser!._id, tenantId: tenant!._id });
  });

  it('operators change a subscription; the price follows seats and plan', async () => {
    const res = await s.admin.patch('/tenants/alpha-gmbh/subscription', { status: 'active', seats: 12 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', seats: 12, plan: 'enterprise', monthlyPrice: 12 * 1800 });
    expect((await s.alice.get('/tenants/alpha-gmbh/subscription')).body.seats).toBe(12);
    expect((await s.alice.patch('/tenants/alpha-gmbh/subscription', { seats: 1000 })).status).toBe(403);
    expect((await s.admin.patch('/tenants/alpha-gmbh/subscription', { seats: 0 })).status).toBe(400);
    expect((await s.admin.patch('/tenants/alpha-gmbh/subscription', { monthlyPrice: 1 })).status).toBe(400);
  });
});

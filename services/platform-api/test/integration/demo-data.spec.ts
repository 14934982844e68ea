import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { DEFAULT_USERS } from '@dezky/dev-idp';
import type { Connection } from 'mongoose';
import { inject } from 'vitest';
import { ConfigError } from '../../src/config/app-config';
import { DEMO_ALICE, DEMO_BOB, DEMO_FLAGS, DEMO_OPERATOR, DEMO_PARTNERS, DEMO_TENANT_COUNT } from '../../src/demo/demo-data';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { ADMIN, ALICE, BOB, startIdentity, type Identity } from '../support/identity';
import { caller, type Caller } from '../support/session';

const COLLECTIONS = ['partners', 'tenants', 'subscriptions', 'memberships', 'users', 'flags', 'audit', 'changes', 'revisions'];

describe('demo data (SEED_DEMO_DATA=true)', () => {
  const dbName = freshDbName('demo');
  let id: Identity;
  let t: TestApp;
  let db: Connection;
  let admin: Caller;

  const boot = () => createTestApp({ ...id.env, APP_ENV: 'development', SEED_DEMO_DATA: 'true', MONGO_DB_NAME: dbName });
  const counts = async () => Object.fromEntries(await Promise.all(COLLECTIONS.map(async (c) => [c, await db.collection(c).countDocuments()] as const)));

  beforeAll(async () => {
    id = await startIdentity();
    t = await boot();
    db = t.app.get<Connection>(getConnectionToken());
    admin = caller(t, await id.token('operator', ADMIN));
  });
  afterAll(async () => {
    await t?.close();
    await id?.close();
  });

  it("keys its people as the dev IdP signs them in: the same subject, email and name", () => {
    for (const person of [DEMO_OPERATOR, DEMO_ALICE, DEMO_BOB]) {
      const user = DEFAULT_USERS.find((u) => u.sub === person.sub);
      expect(user && { sub: user.sub, email: user.email, name: user.name }).toEqual(person);
    }
  });

  it('seeds five partners with contacts, billing and margins, one of them terminated', async () => {
    const res = await admin.get('/partners?limit=100').expect(200);
    expect(res.body.total).toBe(DEMO_PARTNERS.length);
    expect(res.body.items.map((p: { slug: string }) => p.slug).sort()).toEqual(DEMO_PARTNERS.map((p) => p.slug).sort());
    for (const p of res.body.items) {
      expect(p.contactInfo.email).toMatch(/@/);
      expect(p.billingInfo.vatId).toMatch(/^[A-Z]{2}\d+$/);
      expect(p.marginPct).toBeGreaterThan(0);
      // Every partner has customers, and so revenue and a margin.
      expect(p.customers).toBeGreaterThan(0);
      expect(p.mrr).toBeGreaterThan(0);
      expect(p.margin).toBeGreaterThan(0);
    }
    expect(res.body.items.filter((p: { status: string }) => p.status === 'terminated').map((p: { slug: string }) => p.slug)).toEqual(['westend-netz']);
  });

  it('seeds about 200 tenants across plans, partners and subscription states', async () => {
    expect((await admin.get('/tenants?limit=1').expect(200)).body.total).toBe(DEMO_TENANT_COUNT);
    const tenants = db.collection('tenants');
    const subscriptions = db.collection('subscriptions');
    for (const plan of ['starter', 'business', 'enterprise']) expect(await tenants.countDocuments({ plan }), plan).toBeGreaterThan(10);
    expect(await tenants.countDocuments({ status: 'suspended' })).toBeGreaterThan(5);
    expect(await tenants.countDocuments({ partnerId: { $exists: true } })).toBeGreaterThan(50);
    expect(await tenants.countDocuments({ partnerId: { $exists: false } })).toBeGreaterThan(50);
    expect(await subscriptions.countDocuments()).toBe(DEMO_TENANT_COUNT);
    expect(await subscriptions.countDocuments({ status: 'trialing' })).toBeGreaterThan(10);
    expect(await subscriptions.countDocuments({ status: 'canceled' })).toBeGreaterThan(5);
    expect(await subscriptions.countDocuments({ status: 'active', seats: { $gt: 1 } })).toBeGreaterThan(100);
    // A suspended tenant's page shows it so, through the API as well.
    const suspended = await tenants.findOne({ status: 'suspended' });
    expect((await admin.get(`/tenants/${suspended!.slug}`).expect(200)).body.status).toBe('suspended');
  });

  it('wrote through the services: every tenant, partner and flag write is in the audit log', async () => {
    const audit = db.collection('audit');
    expect(await audit.countDocuments({ action: 'tenant.create' })).toBe(DEMO_TENANT_COUNT);
    expect(await audit.countDocuments({ action: 'subscription.create' })).toBe(DEMO_TENANT_COUNT);
    expect(await audit.countDocuments({ action: 'partner.create' })).toBe(DEMO_PARTNERS.length);
    expect(await audit.countDocuments({ action: 'partner.terminate' })).toBe(1);
    expect(await audit.countDocuments({ action: 'tenant.suspend' })).toBe(await db.collection('tenants').countDocuments({ status: 'suspended' }));
    expect(await audit.countDocuments({ action: 'flag.create' })).toBe(DEMO_FLAGS.length);
    expect(await audit.countDocuments({ action: 'flag.update' })).toBe(DEMO_FLAGS.reduce((n, f) => n + f.changes.length, 0));
  });

  it('seeds flags in every state, each with its history', async () => {
    const res = await admin.get('/flags').expect(200);
    const byKey = new Map<string, { state: string; history: unknown[] }>(res.body.items.map((f: { key: string }) => [f.key, f]));
    const states = new Set<string>();
    for (const f of DEMO_FLAGS) {
      const flag = byKey.get(f.key);
      expect(flag?.history, f.key).toHaveLength(f.changes.length + 1);
      states.add(flag!.state);
    }
    expect([...states].sort()).toEqual(['off', 'on', 'rollout', 'targeted']);
  });

  it('makes Alice and Bob, signed in through the dev IdP, members of their tenants', async () => {
    const alice = caller(t, await id.token('portal', ALICE));
    const bob = caller(t, await id.token('portal', BOB));
    const rolesOf = async (who: Caller) =>
      Object.fromEntries(((await who.get('/me').expect(200)).body.tenants as { slug: string; role: string }[]).map((m) => [m.slug, m.role]));
    expect(await rolesOf(alice)).toEqual({ 'customer-gmbh': 'owner', 'customer-labs': 'owner', 'bobs-bike-shop': 'member' });
    expect(await rolesOf(bob)).toEqual({ 'customer-gmbh': 'member', 'bobs-bike-shop': 'owner' });
    // Evaluation sees the memberships too.
    expect((await alice.post('/flags/evaluate', { tenantSlug: 'bobs-bike-shop' }).expect(200)).body.contacts_carddav_sync).toBe(true);
  });

  it('adds nothing on a second start', async () => {
    const before = await counts();
    expect(before.tenants).toBe(DEMO_TENANT_COUNT);
    await t.close();
    t = await boot();
    db = t.app.get<Connection>(getConnectionToken());
    admin = caller(t, await id.token('operator', ADMIN));
    expect(await counts()).toEqual(before);
  });
});

describe('demo data without the dev IdP', () => {
  it("seeds nothing when AUTHENTIK_ISSUERS names no operator and portal issuers: its people could never sign in", async () => {
    const t = await createTestApp({ APP_ENV: 'development', SEED_DEMO_DATA: 'true', AUTHENTIK_ISSUERS: 'https://sso.example/application/o/other/' });
    try {
      const db = t.app.get<Connection>(getConnectionToken());
      for (const c of ['partners', 'tenants', 'users']) expect(await db.collection(c).countDocuments(), c).toBe(0);
      expect(await db.collection('flags').countDocuments({ key: { $in: DEMO_FLAGS.map((f) => f.key) } })).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('demo data outside development', () => {
  const env = { APP_ENV: 'production', EVENT_STREAM_SECRET: 's'.repeat(32), SEED_DEMO_DATA: 'true' };

  it('refuses to start with APP_ENV=production, before touching the database', async () => {
    const dbName = freshDbName('demo_prod');
    await expect(createTestApp({ ...env, MONGO_DB_NAME: dbName })).rejects.toThrow(ConfigError);
    await expect(createTestApp({ ...env, MONGO_DB_NAME: dbName })).rejects.toThrow('SEED_DEMO_DATA: demo data is seeded in development only, never with APP_ENV=production');
    const other = await createTestApp({ MONGO_DB_NAME: freshDbName('demo_probe') });
    try {
      const db = other.app.get<Connection>(getConnectionToken()).useDb(dbName);
      expect(await db.listCollections()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('stops the built API with a message naming SEED_DEMO_DATA', () => {
    const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', MONGO_URL: inject('mongoUrl'), MONGO_DB_NAME: freshDbName('demo_prod'), PORT: '3999', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SEED_DEMO_DATA: demo data is seeded in development only, never with APP_ENV=production');
  });
});

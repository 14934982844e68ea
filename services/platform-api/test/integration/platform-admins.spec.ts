import type { Connection } from 'mongoose';
import { ADMIN } from '../support/identity';
import { caller, startSession, type Caller, type Session } from '../support/session';

/** The rule "never revoke the last platform administrator" under concurrency and across issuers. */
describe('platform administrators', () => {
  let s: Session;
  let adminId: string;
  let carolId: string;

  const users = (db: Connection) => db.collection('users');
  const idOf = async (c: Caller) => (await c.get('/me').expect(200)).body.profile.id as string;

  beforeAll(async () => {
    s = await startSession();
    adminId = await idOf(s.admin);
    carolId = await idOf(s.carol);
  });
  afterAll(() => s?.close());

  it('20 parallel revocations over the last two administrators leave one, in each of 10 trials', async () => {
    for (let trial = 0; trial < 10; trial++) {
      await s.admin.patch(`/users/${carolId}`, { platformAdmin: true }).expect(200);
      const revokes = Array.from({ length: 20 }, (_, i) => {
        const [by, target] = i % 2 ? [s.admin, carolId] : [s.carol, adminId];
        return by.patch(`/users/${target}`, { platformAdmin: false });
      });
      const statuses = (await Promise.all(revokes)).map((r) => r.status);
      // 200: revoked (or already revoked), 409: would be the last one, 403: the caller lost admin first.
      expect(statuses.every((code) => [200, 403, 409].includes(code)), statuses.join(',')).toBe(true);
      const admins = await users(s.db).find({ platformAdmin: true }).toArray();
      expect(admins.map((u) => String(u._id)), `trial ${trial}: ${statuses.join(',')}`).toHaveLength(1);
      // Whoever is left is still an operator: the API agrees with the database.
      const survivor = String(admins[0]!._id) === adminId ? s.admin : s.carol;
      expect((await survivor.get('/users')).status).toBe(200);
      if (survivor === s.carol) await s.carol.patch(`/users/${adminId}`, { platformAdmin: true }).expect(200);
    }
  });

  it('an administrator who signed in only through the portal does not count towards the last operator', async () => {
    await s.admin.patch(`/users/${carolId}`, { platformAdmin: false }).expect(200);
    // The bootstrap email signs in to the portal: a second user, under the portal issuer, made admin on first sight.
    const portalProfile = await caller(s.t, await s.id.token('portal', ADMIN)).get('/me').expect(200);
    expect(portalProfile.body.profile).toMatchObject({ email: ADMIN, platformAdmin: true });
    expect(portalProfile.body.profile.id).not.toBe(adminId);

    const listed = (await s.admin.get('/users?platformAdmin=true').expect(200)).body.items as { id: string; operatorAccess: boolean }[];
    expect(listed.map((u) => [u.id === adminId, u.operatorAccess]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);

    const self = await s.admin.patch(`/users/${adminId}`, { platformAdmin: false });
    expect(self.status).toBe(409);
    expect(self.body.message).toBe('Cannot revoke the last platform administrator');
    expect((await s.admin.get('/users')).status).toBe(200);

    // The portal administrator can be revoked: it never could operate.
    await s.admin.patch(`/users/${portalProfile.body.profile.id}`, { platformAdmin: false }).expect(200);
  });

  it('a user first seen with a portal-only token gains operator access once it presents an operator-scoped one', async () => {
    const claims = { sub: 'user-erin', email: 'erin@dezky.test' };
    await caller(s.t, await s.id.sign('portal', claims)).get('/me').expect(200);
    expect((await users(s.db).findOne({ email: 'erin@dezky.test' }))?.operatorAccess).toBe(false);
    await caller(s.t, await s.id.sign('portal', { ...claims, aud: ['dezky-portal', 'dezky-operator'] })).get('/me').expect(200);
    const erin = await users(s.db).find({ email: 'erin@dezky.test' }).toArray();
    expect(erin.map((u) => u.operatorAccess)).toEqual([true]);
  });
});

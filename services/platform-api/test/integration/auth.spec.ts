import request from 'supertest';
import type { TestApp } from '../support/app';
import { ADMIN, ALICE, CAROL, claimsOf, hs256WithPublicKey, tamper, unsigned, type Identity } from '../support/identity';
import { startApp } from '../support/session';

describe('token validation and operators', () => {
  let id: Identity;
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ id, t, close } = await startApp());
  });
  afterAll(() => close?.());

  it('a real token from the dev IdP reaches /me and creates the user from its claims', async () => {
    const token = await id.token('portal', ALICE);
    expect(claimsOf(token)).toMatchObject({ iss: id.issuers.portal, aud: 'dezky-portal', email: ALICE });
    const res = await http().get('/me').auth(token, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), email: ALICE, name: 'Alice Customer', platformAdmin: false });
    expect(res.body.tenants).toEqual([]);
    expect(res.body.subscription).toBeNull();
    const again = await http().get('/me').auth(token, { type: 'bearer' });
    expect(again.body.profile.id).toBe(res.body.profile.id);
  });

  it('grants platformAdmin to a listed verified email on first sight only', async () => {
    const res = await http().get('/me').auth(await id.token('operator', ADMIN), { type: 'bearer' });
    expect(res.body.profile.platformAdmin).toBe(true);
    const carol = await http().get('/me').auth(await id.token('operator', CAROL), { type: 'bearer' });
    expect(carol.body.profile.platformAdmin).toBe(false);
  });

  it('keeps email and name current with the token', async () => {
    const first = await http().get('/me').auth(await id.sign('portal', { sub: 'user-dora', email: 'dora@customer.test', name: 'Dora' }), { type: 'bearer' });
    const renamed = await http()
      .get('/me')
      .auth(await id.sign('portal', { sub: 'user-dora', email: 'dora@new.test', name: 'Dora Explorer' }), { type: 'bearer' });
    expect(renamed.body.profile).toMatchObject({ id: first.body.profile.id, email: 'dora@new.test', name: 'Dora Explorer' });
  });

  describe('refuses with 401 and WWW-Authenticate: Bearer', () => {
    const cases: [string, () => Promise<string | undefined>, RegExp][] = [
      ['no token', async () => undefined, /bearer token is required/],
      ['a malformed token', async () => 'not-a-jwt', /Bearer <token>/],
      ['an expired token', () => id.sign('portal', { sub: 'user-alice' }, { expiresAt: Math.floor(Date.now() / 1000) - 120, issuedAt: Math.floor(Date.now() / 1000) - 900 }), /expired/],
      ['a token of an untrusted issuer', async () => tamper(await id.token('portal', ALICE), { iss: 'https://evil.example/application/o/dezky-portal/' }), /trusted issuer/],
      ['an issuer that differs only by its trailing slash', async () => tamper(await id.token('portal', ALICE), { iss: id.issuers.portal.replace(/\/$/, '') }), /trusted issuer/],
      ['a wrong audience', () => id.sign('portal', { sub: 'user-alice', aud: 'someone-else' }), /audience/],
      ['alg none', async () => unsigned({ ...claimsOf(await id.token('operator', ADMIN)) }), /.+/],
      ['HS256 signed with the public key', async () => hs256WithPublicKey(claimsOf(await id.token('operator', ADMIN)), id.publicJwk('operator')), /algorithm/],
      ['a tampered payload', async () => tamper(await id.token('portal', ALICE), { email: ADMIN, sub: 'user-admin' }), /signature/],
      ['a token signed by the other application', async () => tamper(await id.sign('operator', { sub: 'user-admin' }), { iss: id.issuers.portal, aud: 'dezky-portal' }), /.+/],
      ['a token without sub', () => id.sign('portal', { email: ALICE }), /sub/],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const token = await make();
      const req = http().get('/me');
      if (token !== undefined) req.set('Authorization', `Bearer ${token}`);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(String(res.body.message)).toMatch(message);
    });

    it('a Bearer scheme in any letter case is taken, as RFC 7235 says', async () => {
      const token = await id.token('portal', ALICE);
      for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
        const res = await http().get('/me').set('Authorization', `${scheme} ${token}`);
        expect(res.status, scheme).toBe(200);
      }
    });

    it('a Basic Authorization header', async () => {
      const res = await http().get('/me').set('Authorization', 'Basic YWRtaW46YWRtaW4=');
      expect(res.status).toBe(401);
    });
  });

  it('a portal token cannot create a partner; an operator admin can', async () => {
    const body = { slug: 'seed-partner', name: 'Seed Partner', domain: 'seed.example', marginPct: 20 };
    const portal = await http().post('/partners').auth(await id.token('portal', ALICE), { type: 'bearer' }).send(body);
    expect(portal.status).toBe(403);
    expect(portal.body.message).toBe('This endpoint requires an operator-scoped token');
    const operator = await http().post('/partners').auth(await id.token('operator', ADMIN), { type: 'bearer' }).send(body);
    expect(operator.status).toBe(201);
    expect(operator.body).toMatchObject({ slug: 'seed-partner', status: 'active', customers: 0, mrr: 0, margin: 0 });
  });

  it('revoking platformAdmin takes effect on the next request of a still-valid operator token', async () => {
    const adminToken = await id.token('operator', ADMIN);
    // A second admin, so the revocation is not of the last one.
    const carolToken = await id.token('operator', CAROL);
    const carol = (await http().get('/me').auth(carolToken, { type: 'bearer' })).body.profile;
    const granted = await http().patch(`/users/${carol.id}`).auth(adminToken, { type: 'bearer' }).send({ platformAdmin: true });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ id: carol.id, platformAdmin: true });
    expect((await http().get('/users').auth(carolToken, { type: 'bearer' })).status).toBe(200);

    const revoked = await http().patch(`/users/${carol.id}`).auth(adminToken, { type: 'bearer' }).send({ platformAdmin: false });
    expect(revoked.status).toBe(200);
    const denied = await http().get('/users').auth(carolToken, { type: 'bearer' });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('This endpoint requires a platform administrator');
  });

  it('refuses to revoke the last platform administrator with 409', async () => {
    const adminToken = await id.token('operator', ADMIN);
    const me = (await http().get('/me').auth(adminToken, { type: 'bearer' })).body.profile;
    const admins = (await http().get('/users?platformAdmin=true').auth(adminToken, { type: 'bearer' })).body;
    expect(admins.items.map((u: { id: string }) => u.id)).toEqual([me.id]);
    const res = await http().patch(`/users/${me.id}`).auth(adminToken, { type: 'bearer' }).send({ platformAdmin: false });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Cannot revoke the last platform administrator');
    expect((await http().get('/users').auth(adminToken, { type: 'bearer' })).status).toBe(200);
  });

  it('validates PATCH /users/:id input', async () => {
    const adminToken = await id.token('operator', ADMIN);
    const me = (await http().get('/me').auth(adminToken, { type: 'bearer' })).body.profile;
    for (const body of [{}, { platformAdmin: 'yes' }, { platformAdmin: true, role: 'god' }, { platformAdmin: { $ne: null } }]) {
      const res = await http().patch(`/users/${me.id}`).auth(adminToken, { type: 'bearer' }).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await http().patch('/users/not-an-id').auth(adminToken, { type: 'bearer' }).send({ platformAdmin: true })).status).toBe(404);
    expect((await http().patch('/users/0123456789abcdef01234567').auth(adminToken, { type: 'bearer' }).send({ platformAdmin: true })).status).toBe(404);
  });
});

import { ConflictError } from '../../src/common/errors/domain-errors';
import { ActorService } from '../../src/modules/users/actor.service';
import { UsersService } from '../../src/modules/users/users.service';
import { makeRoot, makeUser } from './support/factories';
import { startServices, type Services } from './support/services';

/** The last platform administrator who can use operator routes is never revoked. */
describe('UsersService.setPlatformAdmin', () => {
  let s: Services;
  let users: UsersService;

  beforeAll(async () => {
    s = await startServices();
    users = s.get(UsersService);
  });
  afterAll(() => s?.close());

  const adminsLeft = async () => (await users.list({ platformAdmin: true, limit: 100, offset: 0 })).items.filter((u) => u.operatorAccess).map((u) => u.id);

  it('refuses to revoke the only administrator, even by themselves', async () => {
    const root = await makeRoot(s);
    expect(root.platformAdmin).toBe(true);
    await expect(users.setPlatformAdmin(root, root.userId, false)).rejects.toThrow(new ConflictError('Cannot revoke the last platform administrator'));
    expect(await adminsLeft()).toEqual([root.userId]);
  });

  it('an administrator who never signed in with an operator token does not count', async () => {
    const root = await makeRoot(s);
    const portalOnly = await makeUser(s);
    await users.setPlatformAdmin(root, portalOnly.userId, true);
    await expect(users.setPlatformAdmin(root, root.userId, false)).rejects.toThrow(ConflictError);
    // The portal-only one can go, and revoking what is not granted changes nothing.
    expect((await users.setPlatformAdmin(root, portalOnly.userId, false)).platformAdmin).toBe(false);
    expect((await users.setPlatformAdmin(root, portalOnly.userId, false)).platformAdmin).toBe(false);
  });

  it('with a second administrator one may go; the other is then the last, and the revoked one is no operator at once', async () => {
    const root = await makeRoot(s);
    const second = await makeUser(s, { platformAdmin: true });
    expect(second.platformAdmin).toBe(true);
    await users.setPlatformAdmin(second, root.userId, false);
    await expect(users.setPlatformAdmin(second, second.userId, false)).rejects.toThrow(ConflictError);
    expect(await adminsLeft()).toEqual([second.userId]);
    // Authorization reads users from memory: it follows the revocation before it returns.
    expect((await s.get(ActorService).byId(root.userId))?.platformAdmin).toBe(false);
    await users.setPlatformAdmin(second, root.userId, true);
  });

  it('parallel revocations of the last two administrators leave exactly one', async () => {
    const root = await makeRoot(s);
    const other = await makeUser(s, { platformAdmin: true });
    const results = await Promise.allSettled([
      users.setPlatformAdmin(other, root.userId, false),
      users.setPlatformAdmin(root, other.userId, false),
      users.setPlatformAdmin(other, root.userId, false),
      users.setPlatformAdmin(root, other.userId, false),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true);
    expect(await adminsLeft()).toHaveLength(1);
  });
});

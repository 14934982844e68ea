import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../../common/errors/domain-errors';
import { LeaseLocks } from '../../common/mongo/lease-locks';
import type { Actor } from '../auth/actor';
import type { ListUsersQueryDto, UserDto, UserListDto } from './dto/user.dto';
import { WriteRecorder } from '../writes/write-recorder';
import { UsersRepository, type UserRecord } from './users.repository';

export function toUserDto(u: UserRecord): UserDto {
  return { id: u.id, email: u.email, name: u.name, platformAdmin: u.platformAdmin, operatorAccess: u.operatorAccess, issuer: u.iss, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly writes: WriteRecorder,
    private readonly locks: LeaseLocks,
  ) {}

  async list(query: ListUsersQueryDto): Promise<UserListDto> {
    const { items, total } = await this.users.list(query);
    return { items: items.map(toUserDto), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return toUserDto(user);
  }

  /**
   * Grants or revokes platform administration. The last administrator who can use operator
   * routes cannot be revoked: revocations take one lock across processes, so two of them at
   * once over the last two administrators cannot both pass the count.
   */
  setPlatformAdmin(actor: Actor, id: string, platformAdmin: boolean): Promise<UserDto> {
    if (platformAdmin) return this.writePlatformAdmin(actor, id, true);
    return this.locks.withLock('platform-admins', () => this.writePlatformAdmin(actor, id, false));
  }

  private async writePlatformAdmin(actor: Actor, id: string, platformAdmin: boolean): Promise<UserDto> {
    const before = await this.users.findById(id);
    if (!before) throw new NotFoundError(`User ${id} not found`);
    if (before.platformAdmin && !platformAdmin && before.operatorAccess && (await this.users.countOperatorAdmins()) <= 1) {
      throw new ConflictError('Cannot revoke the last platform administrator');
    }
    const after = await this.users.setPlatformAdmin(id, platformAdmin);
    if (!after) throw new NotFoundError(`User ${id} not found`);
    if (before.platformAdmin !== after.platformAdmin) {
      // Authorization reads users from memory: every process must learn of this, this one first.
      await this.writes.recordWrite({ actor, action: platformAdmin ? 'user.grant_admin' : 'user.revoke_admin', target: { type: 'user', id }, before: toUserDto(before), after: toUserDto(after) });
    }
    return toUserDto(after);
  }
}

import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository';

/**
 * The users feature's read model of who can administer the platform, for features that depend
 * on how many administrators there are (a protected flag needs one besides its change's author).
 * The rule is the last-administrator rule's: platformAdmin users who can reach operator routes.
 */
@Injectable()
export class PlatformAdmins {
  constructor(private readonly users: UsersRepository) {}

  /** Platform administrators who can reach operator routes (see User.operatorAccess). */
  operatorAdminCount(): Promise<number> {
    return this.users.countOperatorAdmins();
  }

  /** Whether the user is, right now, a platform administrator who can reach operator routes (read from MongoDB). */
  async isOperatorAdmin(userId: string): Promise<boolean> {
    const user = await this.users.findById(userId);
    return user !== null && user.platformAdmin && user.operatorAccess;
  }
}

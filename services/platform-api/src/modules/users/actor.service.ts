import { Inject, Injectable } from '@nestjs/common';
import { isDatabaseUnavailable } from '../../common/mongo/database-unavailable';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { Actor } from '../auth/actor';
import type { VerifiedToken } from '../auth/token-verifier.service';
import { UsersRepository, type UserRecord } from './users.repository';

/**
 * Resolves the user behind a verified token by (iss, sub), creating it on first sight and
 * keeping email and name current. Read on every request, so a revoked platformAdmin stops
 * working on the very next request.
 */
@Injectable()
export class ActorService {
  /**
   * Last user seen per identity: answers reads while MongoDB is unreachable (evaluations keep
   * serving from their snapshot); never consulted while the database answers.
   */
  private readonly lastKnown = new Map<string, UserRecord>();

  constructor(
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(token: VerifiedToken): Promise<Actor> {
    const key = `${token.issuer}\n${token.subject}`;
    let user: UserRecord;
    try {
      user = await this.fetch(token);
      if (this.lastKnown.size > 50_000) this.lastKnown.clear();
      this.lastKnown.set(key, user);
    } catch (error) {
      const known = this.lastKnown.get(key);
      if (!known || !isDatabaseUnavailable(error)) throw error;
      user = known;
    }
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      platformAdmin: user.platformAdmin,
      issuer: token.issuer,
      subject: token.subject,
      audiences: token.audiences,
    };
  }

  private async fetch(token: VerifiedToken): Promise<UserRecord> {
    const existing = await this.users.findByIdentity(token.issuer, token.subject);
    const email = (token.email ?? existing?.email ?? `${token.subject}@unknown.invalid`).toLowerCase();
    const name = token.name ?? existing?.name ?? '';
    if (existing && existing.email === email && existing.name === name && existing.emailVerified === token.emailVerified) {
      return existing;
    }
    // Only a verified email listed in PLATFORM_ADMIN_EMAILS makes the first user an admin.
    const adminOnCreate = token.emailVerified && token.email !== undefined && this.config.auth.platformAdminEmails.includes(email);
    return this.users.upsertFromToken({ iss: token.issuer, sub: token.subject, email, emailVerified: token.emailVerified, name }, adminOnCreate);
  }
}

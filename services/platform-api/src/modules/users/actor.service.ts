import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ServiceUnavailableError } from '../../common/errors/domain-errors';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../../common/mongo/database-available.guard';
import { DatabaseState } from '../../common/mongo/database-state';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { OPERATOR_AUDIENCE, type Actor } from '../auth/actor';
import type { VerifiedToken } from '../auth/token-verifier.service';
import { ChangeFeed, type ChangeEvent, type ChangeFollower } from '../changes/change-feed.service';
import { UsersRepository, type UserRecord } from './users.repository';

const KNOWN_USERS_MAX = 50_000;

const identityKey = (iss: string, sub: string) => `${iss}\n${sub}`;

/**
 * Resolves the user behind a verified token by (iss, sub). The users already seen are kept in
 * memory (a bounded LRU) and kept current from the change log, so a known caller costs no
 * MongoDB read, during an outage too. A revoked platformAdmin is applied here before the
 * revoking request answers, and reaches other processes through the log.
 *
 * First sight of an identity creates the user (upsert) as before; so does a token whose email
 * or name differs from the stored ones.
 */
@Injectable()
export class ActorService implements ChangeFollower {
  private readonly known = new LRUCache<string, UserRecord>({ max: KNOWN_USERS_MAX });
  /** user id -> identity key, to apply a change that names a user by id. */
  private readonly keyOfId = new Map<string, string>();

  constructor(
    private readonly users: UsersRepository,
    private readonly database: DatabaseState,
    feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    feed.follow(this);
  }

  async resolve(token: VerifiedToken): Promise<Actor> {
    const key = identityKey(token.issuer, token.subject);
    let user = this.known.get(key);
    if (!user || !matchesToken(user, token)) {
      if (!this.database.available) {
        // A known caller keeps working on what memory knows; a new one must wait for MongoDB.
        if (!user) throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE);
      } else {
        user = await this.fetch(token);
        this.remember(user);
      }
    }
    return actorOf(user, token);
  }

  /** The actor behind a token whose user memory knows as the token describes it; else undefined (resolve() decides). */
  fromMemory(token: VerifiedToken): Actor | undefined {
    const user = this.known.get(identityKey(token.issuer, token.subject));
    return user && matchesToken(user, token) ? actorOf(user, token) : undefined;
  }

  /** The user by id: from memory when known, else from MongoDB (undefined when there is none). */
  async byId(id: string): Promise<UserRecord | undefined> {
    const key = this.keyOfId.get(id);
    const known = key ? this.known.get(key) : undefined;
    if (known) return known;
    if (!this.database.available) throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE);
    const user = await this.users.findById(id);
    if (user) this.remember(user);
    return user ?? undefined;
  }

  async applyChanges(changes: readonly ChangeEvent[]): Promise<void> {
    const ids = [...new Set(changes.filter((c) => c.kind === 'user' && this.keyOfId.has(c.ref)).map((c) => c.ref))];
    if (ids.length) await this.refresh(ids);
  }

  async reload(): Promise<void> {
    await this.refresh([...this.keyOfId.keys()]);
  }

  /** Reads the given known users again; one that no longer exists is forgotten. */
  private async refresh(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const found = new Map((await this.users.findByIds(ids)).map((u) => [u.id, u]));
    for (const id of ids) {
      const user = found.get(id);
      if (user) this.remember(user);
      else this.forget(id);
    }
  }

  private remember(user: UserRecord): void {
    const key = identityKey(user.iss, user.sub);
    this.known.set(key, user);
    this.keyOfId.set(user.id, key);
    // The LRU evicts on its own; keep the id index from growing past what it indexes.
    if (this.keyOfId.size > KNOWN_USERS_MAX * 2) {
      for (const [id, k] of this.keyOfId) if (!this.known.has(k)) this.keyOfId.delete(id);
    }
  }

  private forget(id: string): void {
    const key = this.keyOfId.get(id);
    if (key) this.known.delete(key);
    this.keyOfId.delete(id);
  }

  private async fetch(token: VerifiedToken): Promise<UserRecord> {
    const existing = await this.users.findByIdentity(token.issuer, token.subject);
    if (existing && matchesToken(existing, token)) return existing;
    const email = emailOf(token, existing);
    const name = token.name ?? existing?.name ?? '';
    // Only a verified email listed in PLATFORM_ADMIN_EMAILS makes the first user an admin.
    const adminOnCreate = token.emailVerified && token.email !== undefined && this.config.auth.platformAdminEmails.includes(email);
    const operatorAccess = token.audiences.includes(OPERATOR_AUDIENCE);
    return this.users.upsertFromToken({ iss: token.issuer, sub: token.subject, email, emailVerified: token.emailVerified, name, operatorAccess }, adminOnCreate);
  }
}

function actorOf(user: UserRecord, token: VerifiedToken): Actor {
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

function emailOf(token: VerifiedToken, existing: UserRecord | null | undefined): string {
  return (token.email ?? existing?.email ?? `${token.subject}@unknown.invalid`).toLowerCase();
}

/** True when the stored user already carries what the token says (nothing to write). */
function matchesToken(user: UserRecord, token: VerifiedToken): boolean {
  return (
    user.email === emailOf(token, user) &&
    user.name === (token.name ?? user.name) &&
    user.emailVerified === token.emailVerified &&
    (user.operatorAccess || !token.audiences.includes(OPERATOR_AUDIENCE))
  );
}

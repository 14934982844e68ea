import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model } from 'mongoose';
import { Repository, type Page } from '../../common/mongo/repository';
import { searchFilter } from '../../common/mongo/search';
import { idOf, isObjectIdHex, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { User } from './user.schema';

export interface UserRecord {
  id: string;
  iss: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  platformAdmin: boolean;
  /** Can reach operator routes when platformAdmin (see User.operatorAccess). */
  operatorAccess: boolean;
  createdAt: string;
  updatedAt: string;
}

function toRecord(doc: Lean<User>): UserRecord {
  return {
    id: idOf(doc),
    iss: doc.iss,
    sub: doc.sub,
    email: doc.email,
    emailVerified: doc.emailVerified,
    name: doc.name,
    platformAdmin: doc.platformAdmin,
    operatorAccess: doc.operatorAccess !== false,
    ...timestampsOf(doc),
  };
}

@Injectable()
export class UsersRepository extends Repository<User, UserRecord> {
  constructor(@InjectModel(User.name) users: Model<User>) {
    super(users, toRecord);
  }

  findByIdentity(iss: string, sub: string): Promise<UserRecord | null> {
    return this.one({ iss, sub });
  }

  /**
   * Creates the user on first sight. `$setOnInsert` decides platformAdmin once, at creation;
   * email and name follow the token on every call. Upsert keeps two concurrent first requests
   * from creating two users (the unique index on (iss, sub) settles the race).
   */
  async upsertFromToken(
    identity: { iss: string; sub: string; email: string; emailVerified: boolean; name: string; operatorAccess: boolean },
    adminOnCreate: boolean,
  ): Promise<UserRecord> {
    const filter = { iss: identity.iss, sub: identity.sub };
    // operatorAccess only ever turns on: a portal sign-in of the same identity does not take it away.
    const update = {
      $set: { email: identity.email, emailVerified: identity.emailVerified, name: identity.name, lastSeenAt: new Date(), ...(identity.operatorAccess ? { operatorAccess: true } : {}) },
      $setOnInsert: { iss: identity.iss, sub: identity.sub, platformAdmin: adminOnCreate, ...(identity.operatorAccess ? {} : { operatorAccess: false }) },
    };
    try {
      const doc = await this.model.findOneAndUpdate(filter, update, { upsert: true, new: true }).lean<Lean<User>>();
      return toRecord(doc!);
    } catch (error) {
      if ((error as { code?: number }).code === 11000) {
        const doc = await this.model.findOneAndUpdate(filter, { $set: update.$set }, { new: true }).lean<Lean<User>>();
        return toRecord(doc!);
      }
      throw error;
    }
  }

  async setPlatformAdmin(id: string, platformAdmin: boolean): Promise<UserRecord | null> {
    return isObjectIdHex(id) ? this.updated({ _id: id }, { $set: { platformAdmin } }) : null;
  }

  /** Platform administrators who can reach operator routes (see User.operatorAccess). */
  countOperatorAdmins(): Promise<number> {
    return this.model.countDocuments({ platformAdmin: true, operatorAccess: mongoose.trusted({ $ne: false }) });
  }

  list(query: { search?: string; platformAdmin?: boolean; limit: number; offset: number }): Promise<Page<UserRecord>> {
    const filter: Record<string, unknown> = {};
    if (query.platformAdmin !== undefined) filter.platformAdmin = query.platformAdmin;
    if (query.search) Object.assign(filter, searchFilter(['email', 'name'], query.search));
    return this.page(filter, { email: 1 }, query);
  }
}

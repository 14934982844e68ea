import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model, Types } from 'mongoose';
import { isObjectIdHex, type Lean } from '../../common/mongo/to-plain';
import { Membership, type MembershipRole } from './membership.schema';

export interface MembershipRecord {
  userId: string;
  tenantId: string;
  role: MembershipRole;
}

const toRecord = (m: Lean<Membership>): MembershipRecord => ({ userId: m.userId.toHexString(), tenantId: m.tenantId.toHexString(), role: m.role });

@Injectable()
export class MembershipsRepository {
  constructor(@InjectModel(Membership.name) private readonly memberships: Model<Membership>) {}

  /** Idempotent: adding an existing member keeps the first role. */
  async add(userId: string, tenantId: string, role: MembershipRole): Promise<void> {
    await this.memberships.updateOne(
      { userId: new Types.ObjectId(userId), tenantId: new Types.ObjectId(tenantId) },
      { $setOnInsert: { userId: new Types.ObjectId(userId), tenantId: new Types.ObjectId(tenantId), role } },
      { upsert: true },
    );
  }

  async find(userId: string, tenantId: string): Promise<MembershipRecord | null> {
    const m = await this.memberships.findOne({ userId: new Types.ObjectId(userId), tenantId: new Types.ObjectId(tenantId) }).lean<Lean<Membership>>();
    return m ? toRecord(m) : null;
  }

  async listForUser(userId: string): Promise<MembershipRecord[]> {
    const docs = await this.memberships.find({ userId: new Types.ObjectId(userId) }).sort({ createdAt: 1 }).lean<Lean<Membership>[]>();
    return docs.map(toRecord);
  }

  /** Every (user, tenant) pair, for the flags snapshot's membership check. */
  async allPairs(): Promise<{ userId: string; tenantId: string }[]> {
    const docs = await this.memberships.find({}, { userId: 1, tenantId: 1 }).lean<{ userId: Types.ObjectId; tenantId: Types.ObjectId }[]>();
    return docs.map((m) => ({ userId: m.userId.toHexString(), tenantId: m.tenantId.toHexString() }));
  }

  async existingPairs(pairs: { userId: string; tenantId: string }[]): Promise<{ userId: string; tenantId: string }[]> {
    const valid = pairs.filter((p) => isObjectIdHex(p.userId) && isObjectIdHex(p.tenantId));
    if (!valid.length) return [];
    const or = valid.map((p) => ({ userId: new Types.ObjectId(p.userId), tenantId: new Types.ObjectId(p.tenantId) }));
    const docs = await this.memberships.find(mongoose.trusted({ $or: or }), { userId: 1, tenantId: 1 }).lean<{ userId: Types.ObjectId; tenantId: Types.ObjectId }[]>();
    return docs.map((m) => ({ userId: m.userId.toHexString(), tenantId: m.tenantId.toHexString() }));
  }
}

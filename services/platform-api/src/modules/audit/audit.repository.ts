import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditEntry as AuditEntryDto, AuditResourceType } from '@dezky/contracts';
import mongoose, { Model, Types } from 'mongoose';
import { idOf, type Lean } from '../../common/mongo/to-plain';
import { AuditEntry } from './audit-entry.schema';

export interface NewAuditEntry {
  actor: { userId: string; email: string };
  action: string;
  resource: { type: AuditResourceType; id: string };
  before: unknown;
  after: unknown;
}

export interface AuditQuery {
  /** Only the entries about this partner (see partnersOf). */
  partnerId?: string;
  resourceType?: AuditResourceType;
  resourceId?: string;
  actorId?: string;
  actorEmail?: string;
  action?: string;
  limit: number;
  offset: number;
}

function toDto(doc: Lean<AuditEntry>): AuditEntryDto {
  return {
    id: idOf(doc),
    at: doc.at.toISOString(),
    actor: { userId: doc.actor.userId.toHexString(), email: doc.actor.email },
    action: doc.action,
    resource: { type: doc.resource.type, id: doc.resource.id },
    before: doc.before ?? null,
    after: doc.after ?? null,
  };
}

const partnerIdIn = (record: unknown): string | null => {
  const id = record && typeof record === 'object' ? (record as { partnerId?: unknown }).partnerId : null;
  return typeof id === 'string' ? id : null;
};

/**
 * The partners an entry is about, for a partner's log: the partner itself for its own entries,
 * and for a tenant's, the partner it was attached to or detached from. A tenant's other changes
 * (a rename, a plan) while it stays with its partner are the tenant's, not the partner's.
 */
export function partnersOf(entry: Pick<NewAuditEntry, 'resource' | 'before' | 'after'>): string[] {
  if (entry.resource.type === 'partner') return [entry.resource.id];
  if (entry.resource.type !== 'tenant') return [];
  const before = partnerIdIn(entry.before);
  const after = partnerIdIn(entry.after);
  return before === after ? [] : [before, after].filter((id): id is string => id !== null);
}

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntry.name) private readonly audit: Model<AuditEntry>) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.audit.create({
      ...entry,
      actor: { userId: new Types.ObjectId(entry.actor.userId), email: entry.actor.email },
      at: new Date(),
      partners: partnersOf(entry),
    });
  }

  /**
   * Gives the entries stored before entries named their partners theirs (an empty list for most);
   * returns how many it wrote. Idempotent, and safe while another replica runs it (each write is
   * conditioned on the field still missing, and both would write the same list).
   */
  async backfillPartners(): Promise<number> {
    await this.audit.init();
    const { collection } = this.audit;
    const missing = { partners: { $exists: false } };
    const docs = await collection.find<{ _id: Types.ObjectId } & Pick<NewAuditEntry, 'resource' | 'before' | 'after'>>(missing, { projection: { resource: 1, before: 1, after: 1 } }).toArray();
    if (!docs.length) return 0;
    await collection.bulkWrite(
      docs.map((doc) => ({ updateOne: { filter: { _id: doc._id, ...missing }, update: { $set: { partners: partnersOf(doc) } } } })),
      { ordered: false },
    );
    return docs.length;
  }

  async find(q: AuditQuery): Promise<{ items: AuditEntryDto[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (q.partnerId) filter.partners = q.partnerId;
    if (q.resourceType) filter['resource.type'] = q.resourceType;
    if (q.resourceId) filter['resource.id'] = q.resourceId;
    if (q.actorId) filter['actor.userId'] = new Types.ObjectId(q.actorId);
    if (q.actorEmail) filter['actor.email'] = q.actorEmail.toLowerCase();
    if (q.action) filter.action = q.action;
    const trusted = mongoose.trusted(filter);
    const [docs, total] = await Promise.all([
      // _id breaks ties between entries written in the same millisecond, newest first.
      this.audit.find(trusted).sort({ at: -1, _id: -1 }).skip(q.offset).limit(q.limit).lean<Lean<AuditEntry>[]>(),
      this.audit.countDocuments(trusted),
    ]);
    return { items: docs.map(toDto), total };
  }
}

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

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntry.name) private readonly audit: Model<AuditEntry>) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.audit.create({ ...entry, actor: { userId: new Types.ObjectId(entry.actor.userId), email: entry.actor.email }, at: new Date() });
  }

  async find(q: AuditQuery): Promise<{ items: AuditEntryDto[]; total: number }> {
    const filter: Record<string, unknown> = {};
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

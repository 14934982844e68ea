import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditResourceType, Page } from '@dezky/contracts';
import type { Actor } from '../auth/actor';
import { AuditRepository, type AuditQuery } from './audit.repository';

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** Records one mutation with its actor and the resource's state before and after. */
  record(actor: Actor, action: string, resource: { type: AuditResourceType; id: string }, before: unknown, after: unknown): Promise<void> {
    return this.audit.append({ actor: { userId: actor.userId, email: actor.email }, action, resource, before: before ?? null, after: after ?? null });
  }

  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const { items, total } = await this.audit.find(query);
    return { items, total, limit: query.limit, offset: query.offset };
  }
}

import { Injectable } from '@nestjs/common';
import type { AuditEntry, Page } from '@dezky/contracts';
import { AuditRepository, type AuditQuery } from './audit.repository';

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  // Entries are written by WriteRecorder (modules/writes), with the change each write makes.
  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const { items, total } = await this.audit.find(query);
    return { items, total, limit: query.limit, offset: query.offset };
  }
}

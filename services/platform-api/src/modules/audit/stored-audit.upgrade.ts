import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditRepository } from './audit.repository';

/** Brings audit entries stored by older versions up to date before the API serves: the partners each is about. */
@Injectable()
export class StoredAuditUpgrade implements OnApplicationBootstrap {
  constructor(private readonly audit: AuditRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.audit.backfillPartners();
  }
}

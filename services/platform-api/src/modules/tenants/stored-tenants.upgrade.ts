import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { backfillSlugOrder } from '../../common/mongo/natural-order';
import { LegacyDomainsMigration } from './domains/legacy-domains.migration';
import { Tenant } from './tenant.schema';

/**
 * Brings tenants stored by older versions up to date before the API serves, one step after the
 * other, since both rewrite stored tenants and the first drops an index: domains stored as plain
 * names become entries, then tenants stored without a natural sort key get theirs.
 */
@Injectable()
export class StoredTenantsUpgrade implements OnApplicationBootstrap {
  constructor(
    private readonly legacyDomains: LegacyDomainsMigration,
    @InjectModel(Tenant.name) private readonly tenants: Model<Tenant>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.legacyDomains.run();
    await backfillSlugOrder(this.tenants);
  }
}

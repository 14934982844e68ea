import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { PartnerDirectoryModule } from '../partner-directory/partner-directory.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DomainDns } from './domains/domain-dns';
import { LegacyDomainsMigration } from './domains/legacy-domains.migration';
import { TenantDomainsController } from './domains/tenant-domains.controller';
import { StoredTenantsUpgrade } from './stored-tenants.upgrade';
import { Tenant, TenantSchema } from './tenant.schema';
import { TenantDirectory } from './tenant-directory';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Tenant.name, schema: TenantSchema }]),
    MembershipsModule,
    SubscriptionsModule,
    ProvisioningModule,
    PartnerDirectoryModule,
  ],
  controllers: [TenantsController, TenantDomainsController],
  providers: [TenantsRepository, TenantsService, TenantDirectory, DomainDns, LegacyDomainsMigration, StoredTenantsUpgrade],
  exports: [TenantsService, TenantDirectory],
})
export class TenantsModule {}

import { forwardRef, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { PartnersModule } from '../partners/partners.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DomainDns } from './domains/domain-dns';
import { LegacyDomainsMigration } from './domains/legacy-domains.migration';
import { TenantDomainsController } from './domains/tenant-domains.controller';
import { Tenant, TenantSchema } from './tenant.schema';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Tenant.name, schema: TenantSchema }]),
    MembershipsModule,
    SubscriptionsModule,
    ProvisioningModule,
    forwardRef(() => PartnersModule),
  ],
  controllers: [TenantsController, TenantDomainsController],
  providers: [TenantsRepository, TenantsService, DomainDns, LegacyDomainsMigration],
  exports: [TenantsService],
})
export class TenantsModule {}

import { Module } from '@nestjs/common';
import { FlagsModule } from '../modules/flags/flags.module';
import { MembershipsModule } from '../modules/memberships/memberships.module';
import { PartnerDirectoryModule } from '../modules/partner-directory/partner-directory.module';
import { PartnersModule } from '../modules/partners/partners.module';
import { TenantsModule } from '../modules/tenants/tenants.module';
import { UsersModule } from '../modules/users/users.module';
import { DemoSeeder } from './demo-seeder';

/** Development only (SEED_DEMO_DATA=true): above every feature, it writes through their services. */
@Module({
  imports: [UsersModule, PartnerDirectoryModule, PartnersModule, TenantsModule, MembershipsModule, FlagsModule],
  providers: [DemoSeeder],
})
export class DemoDataModule {}

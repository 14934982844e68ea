import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { PartnerDirectoryModule } from '../partner-directory/partner-directory.module';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

@Module({
  imports: [PartnerDirectoryModule, TenantsModule],
  controllers: [PartnersController],
  providers: [PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}

import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Partner, PartnerSchema } from './partner.schema';
import { PartnerDirectory } from './partner-directory';
import { PartnersRepository } from './partners.repository';

/** Partner data and its read model, below every feature that reads partners (tenants, flags, partners). */
@Module({
  imports: [MongooseModule.forFeature([{ name: Partner.name, schema: PartnerSchema }])],
  providers: [PartnersRepository, PartnerDirectory],
  exports: [PartnersRepository, PartnerDirectory],
})
export class PartnerDirectoryModule {}

import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FlagsModule } from '../flags/flags.module';
import { FlagUsageController } from './flag-usage.controller';
import { FlagUsageRepository } from './flag-usage.repository';
import { FlagKeep, FlagKeepSchema, FlagLastEvaluated, FlagLastEvaluatedSchema, FlagUsageDay, FlagUsageDaySchema } from './flag-usage.schema';
import { FlagUsageService } from './flag-usage.service';

/** Evaluation counts per flag and day, "last evaluated", and potentially stale flags (above flags). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: FlagUsageDay.name, schema: FlagUsageDaySchema },
      { name: FlagLastEvaluated.name, schema: FlagLastEvaluatedSchema },
      { name: FlagKeep.name, schema: FlagKeepSchema },
    ]),
    FlagsModule,
  ],
  controllers: [FlagUsageController],
  providers: [FlagUsageRepository, FlagUsageService],
})
export class FlagUsageModule {}

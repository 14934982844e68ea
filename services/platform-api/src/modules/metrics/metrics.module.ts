import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags/flags.module';
import { Metrics } from './metrics';

@Module({
  imports: [FlagsModule],
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule {}

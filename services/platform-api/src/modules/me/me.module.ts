import { Module } from '@nestjs/common';
import { MembershipsModule } from '../memberships/memberships.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

@Module({
  imports: [MembershipsModule],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}

import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PingController } from './ping.controller';

@Module({
  imports: [TenantsModule],
  controllers: [MeController, PingController],
  providers: [MeService],
})
export class MeModule {}

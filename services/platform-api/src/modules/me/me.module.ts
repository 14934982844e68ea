import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

@Module({
  imports: [TenantsModule],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}

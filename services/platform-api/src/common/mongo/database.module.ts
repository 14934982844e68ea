import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DatabaseAvailableGuard } from './database-available.guard';
import { DatabaseState } from './database-state';
import { LeaseLocks } from './lease-locks';

@Global()
@Module({
  providers: [DatabaseState, LeaseLocks, { provide: APP_GUARD, useClass: DatabaseAvailableGuard }],
  exports: [DatabaseState, LeaseLocks],
})
export class DatabaseModule {}

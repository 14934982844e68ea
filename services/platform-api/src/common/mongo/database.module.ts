import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DatabaseAvailableGuard } from './database-available.guard';
import { DatabaseState } from './database-state';

@Global()
@Module({
  providers: [DatabaseState, { provide: APP_GUARD, useClass: DatabaseAvailableGuard }],
  exports: [DatabaseState],
})
export class DatabaseModule {}

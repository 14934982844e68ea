import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock } from '../../common/clock';
import { UsersModule } from '../users/users.module';
import { JwtAuthGuard } from './jwt-auth.guard';
import { OperatorGuard } from './operator.guard';
import { TokenVerifier } from './token-verifier.service';

@Global()
@Module({
  imports: [UsersModule],
  providers: [Clock, TokenVerifier, OperatorGuard, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [Clock, TokenVerifier, OperatorGuard],
})
export class AuthModule {}

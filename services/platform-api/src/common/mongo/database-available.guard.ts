import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ServiceUnavailableError } from '../errors/domain-errors';
import { SERVED_FROM_MEMORY } from '../http/served-from-memory.decorator';
import { IS_PUBLIC } from '../http/public.decorator';
import { DatabaseState } from './database-state';

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly';

/** Global: while MongoDB is known to be down, routes that need it answer 503 without waiting. */
@Injectable()
export class DatabaseAvailableGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly database: DatabaseState,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.database.available) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) || this.reflector.getAllAndOverride<boolean>(SERVED_FROM_MEMORY, targets)) {
      return true;
    }
    throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE);
  }
}

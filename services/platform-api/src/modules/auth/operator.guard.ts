import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { OPERATOR_AUDIENCE, type RequestWithActor } from './actor';

export const OPERATOR_TOKEN_REQUIRED = 'This endpoint requires an operator-scoped token';
export const PLATFORM_ADMIN_REQUIRED = 'This endpoint requires a platform administrator';

/** Both conditions, in this order: the token's audience, then the user's platformAdmin flag. */
@Injectable()
export class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
    if (!actor || !actor.audiences.includes(OPERATOR_AUDIENCE)) {
      throw new ForbiddenException(OPERATOR_TOKEN_REQUIRED);
    }
    if (!actor.platformAdmin) {
      throw new ForbiddenException(PLATFORM_ADMIN_REQUIRED);
    }
    return true;
  }
}

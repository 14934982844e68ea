import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor as ActorType, RequestWithActor } from './actor';
import { OperatorGuard } from './operator.guard';

export const OPERATOR_ONLY = 'dezky:operatorOnly';

/**
 * Operator routes: an operator-scoped token (audience dezky-operator) AND a platform
 * administrator in the database. Put it on the controller class.
 */
export const OperatorOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(OPERATOR_ONLY, true),
    UseGuards(OperatorGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: 'Not an operator-scoped token, or not a platform administrator' }),
  );

/** The authenticated caller, set by JwtAuthGuard. */
export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): ActorType => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('Actor requested on a route without authentication');
  return actor;
});

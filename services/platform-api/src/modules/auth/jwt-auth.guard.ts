import { CanActivate, ExecutionContext, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { IS_PUBLIC } from '../../common/http/public.decorator';
import { EVALUATION_BUDGET, RateLimits } from '../../common/http/rate-limits';
import { ActorService } from '../users/actor.service';
import type { RequestWithActor } from './actor';
import { bearerToken } from './bearer';
import { IdentityProviderUnavailableError, InvalidTokenError, TokenVerifier } from './token-verifier.service';

/**
 * Global and deny-by-default: every route needs a valid bearer token unless marked @Public().
 * A verified caller's request is then charged to its subject's budget (see RateLimits).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly actors: ActorService,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const http = context.switchToHttp();
    const req = http.getRequest<RequestWithActor>();
    const res = http.getResponse<FastifyReply>();
    const header = req.headers.authorization;
    const bearer = bearerToken(header);
    if (!header) {
      res.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required');
    }
    if (!bearer) {
      res.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException('The Authorization header must be "Bearer <token>"');
    }
    try {
      const token = await this.verifier.verify(bearer);
      req.actor = await this.actors.resolve(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        res.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.message}"`);
        throw new UnauthorizedException(error.message);
      }
      if (error instanceof IdentityProviderUnavailableError) {
        throw new ServiceUnavailableException(error.message);
      }
      throw error;
    }
    // The serving lane charged this request already before handing it over (see ServingLane).
    if (req.budgetCharged) return true;
    const evaluation = this.reflector.getAllAndOverride<boolean>(EVALUATION_BUDGET, [context.getHandler(), context.getClass()]) === true;
    await this.limits.chargeSubject(req.actor.issuer, req.actor.subject, evaluation);
    return true;
  }
}

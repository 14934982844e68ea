import { CanActivate, ExecutionContext, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { IS_PUBLIC } from '../../common/http/public.decorator';
import { EVALUATION_BUDGET, RateLimits } from '../../common/http/rate-limits';
import { ActorService } from '../users/actor.service';
import type { RequestWithActor } from './actor';
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
    // The scheme is case-insensitive (RFC 7235): "bearer" and "BEARER" are Bearer too.
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*\.[A-Za-z0-9\-_=]*)$/i.exec(header.trim()) : null;
    if (!header) {
      res.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required');
    }
    if (!match?.[1]) {
      res.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException('The Authorization header must be "Bearer <token>"');
    }
    try {
      const token = await this.verifier.verify(match[1]);
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
    const evaluation = this.reflector.getAllAndOverride<boolean>(EVALUATION_BUDGET, [context.getHandler(), context.getClass()]) === true;
    await this.limits.chargeSubject(req.actor.issuer, req.actor.subject, evaluation);
    return true;
  }
}

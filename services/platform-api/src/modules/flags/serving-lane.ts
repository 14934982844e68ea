import { Injectable } from '@nestjs/common';
import type { FastifyReply, RouteOptions } from 'fastify';
import { RateLimits } from '../../common/http/rate-limits';
import type { Actor, RequestWithActor } from '../auth/actor';
import { bearerToken } from '../auth/bearer';
import { TokenVerifier } from '../auth/token-verifier.service';
import { ActorService } from '../users/actor.service';
import { EvaluationAnswers, isPlainEvaluateBody } from './evaluation-answers';

type LaneHandler = (actor: Actor, req: RequestWithActor, reply: FastifyReply) => Promise<void>;

/**
 * The evaluation routes' common case, answered from Fastify's preHandler hook without Nest's
 * guards, pipes and handler plumbing: a caller whose token and user memory already vouches for
 * (TokenVerifier.fromMemory, ActorService.fromMemory), with a body that needs no validation.
 * The answer is written by EvaluationAnswers, exactly what the Nest route writes.
 *
 * Anything else goes on to the Nest route unchanged, which then decides as always: a token
 * not in memory, a user to create or update, a body to validate, a budget spent (the guard
 * answers its 429), and every error (the exception filter answers it). A request the lane has
 * charged to its caller's budget is marked so that the guard does not charge it twice.
 */
@Injectable()
export class ServingLane {
  private readonly handlers = new Map<string, LaneHandler>([
    [
      'POST /flags/evaluate',
      async (actor, req, reply) => {
        const body = req.body;
        if (!isPlainEvaluateBody(body)) return;
        const json = await this.answers.evaluate(actor, body.tenantSlug, reply);
        reply.send(json);
      },
    ],
    ['POST /ofrep/v1/evaluate/flags', (actor, req, reply) => this.answers.ofrepBulk(actor, req.body, req.headers['if-none-match'], reply)],
  ]);

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly actors: ActorService,
    private readonly limits: RateLimits,
    private readonly answers: EvaluationAnswers,
  ) {}

  /** For Fastify's onRoute hook: puts the lane in front of the routes it serves. */
  attach(route: RouteOptions): void {
    const handler = [route.method].flat().includes('POST') ? this.handlers.get(`POST ${route.url}`) : undefined;
    if (!handler) return;
    const lane = async (req: RequestWithActor, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      const served = await this.serve(handler, req, reply);
      return served ? reply : undefined;
    };
    route.preHandler = [lane, ...[route.preHandler ?? []].flat()];
  }

  /** True when the lane answered; false hands the request to the Nest route. */
  private async serve(handler: LaneHandler, req: RequestWithActor, reply: FastifyReply): Promise<boolean> {
    const token = bearerToken(req.headers.authorization);
    const verified = token === undefined ? undefined : this.verifier.fromMemory(token);
    const actor = verified && this.actors.fromMemory(verified);
    if (!actor) return false;
    try {
      await this.limits.chargeSubject(actor.issuer, actor.subject, true);
    } catch {
      // Over budget: the guard charges it again, still over, and answers the 429.
      return false;
    }
    req.budgetCharged = true;
    req.actor = actor;
    try {
      await handler(actor, req, reply);
    } catch {
      // Nothing is written before the answer cannot fail any more; the Nest route answers the error.
      return false;
    }
    return reply.sent;
  }
}

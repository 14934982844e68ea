import type { RateLimitBudget } from '@dezky/contracts';
import { Global, Inject, Injectable, Module, SetMetadata } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig, RateLimit } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainError } from '../errors/domain-errors';
import { handedOn } from './handed-on';

export const EVALUATION_BUDGET = 'dezky:evaluationBudget';

/** Routes that evaluate flags: charged to the subject's evaluation budget, not the general one. */
export const EvaluationBudget = (): ClassDecorator & MethodDecorator => SetMetadata(EVALUATION_BUDGET, true);

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly error = 'Too Many Requests';
  constructor(
    message: string,
    /** Whole seconds until the budget refills: the Retry-After header. */
    readonly retryAfterSec: number,
  ) {
    super(message);
  }
}

/** A limiter with the budget it enforces, for the words of its 429. */
interface Budget {
  limiter: RateLimiterMemory;
  limit: RateLimit;
}

function budget(limit: RateLimit | undefined): Budget | undefined {
  return limit ? { limiter: new RateLimiterMemory({ points: limit.points, duration: limit.durationSec }), limit } : undefined;
}

const retryAfterSec = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Request budgets (fixed windows, rate-limiter-flexible's in-memory store: a Map lookup and an
 * increment per request). Per client address, for every request before anything else reads
 * it; per token subject (issuer + sub) once the token is verified, with evaluation on its own
 * budget. Each process counts on its own: with N replicas behind a balancer a client can get
 * up to N times a budget (see README, "Rate limits").
 */
@Injectable()
export class RateLimits {
  private readonly perIp: Budget | undefined;
  private readonly perSubject: Budget | undefined;
  private readonly evaluation: Budget | undefined;
  /** Requests answered 429, per budget, since the process started (dezky_rate_limited_requests_total). */
  private readonly refusals: Record<RateLimitBudget, number> = { 'per-ip': 0, 'per-subject': 0, evaluation: 0 };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perIp = budget(config.rateLimits.perIp);
    this.perSubject = budget(config.rateLimits.perSubject);
    this.evaluation = budget(config.rateLimits.evaluation);
  }

  /**
   * A Fastify onRequest hook: answers 429 before routing, parsing or authentication. A request
   * the serving lane handed on carries what the lane charged already (see handed-on.ts).
   */
  addressHook(): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    const perIp = this.perIp;
    return async (request, reply) => {
      const handed = handedOn(request.raw);
      if (handed) (request as FastifyRequest & { budgetCharged?: boolean }).budgetCharged = handed.subjectCharged;
      if (!perIp || handed?.addressCharged) return;
      try {
        await perIp.limiter.consume(request.ip);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        this.refusals['per-ip']++;
        const wait = retryAfterSec(error);
        await reply
          .code(429)
          .header('Retry-After', String(wait))
          .header('Content-Type', 'application/json; charset=utf-8')
          .send({ statusCode: 429, error: 'Too Many Requests', message: tooMany('Too many requests from this address', perIp.limit, wait) });
      }
    };
  }

  /**
   * Charges one evaluation to a verified subject; false past its budget (the guard then charges
   * it again and answers the 429, which is when the refusal is counted).
   */
  async chargeEvaluation(issuer: string, subject: string): Promise<boolean> {
    if (!this.evaluation) return true;
    try {
      await this.evaluation.limiter.consume(`${issuer}\n${subject}`);
      return true;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return false;
    }
  }

  /** Charges one request to a client address; false past its budget (the address hook then answers the 429). */
  async chargeAddress(ip: string): Promise<boolean> {
    if (!this.perIp) return true;
    try {
      await this.perIp.limiter.consume(ip);
      return true;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return false;
    }
  }

  /** Requests refused so far, per budget. */
  refused(): Readonly<Record<RateLimitBudget, number>> {
    return this.refusals;
  }

  /** Charges one request to a verified subject; throws TooManyRequestsError past its budget. */
  async chargeSubject(issuer: string, subject: string, evaluation: boolean): Promise<void> {
    const charged = evaluation ? this.evaluation : this.perSubject;
    if (!charged) return;
    try {
      await charged.limiter.consume(`${issuer}\n${subject}`);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      this.refusals[evaluation ? 'evaluation' : 'per-subject']++;
      const wait = retryAfterSec(error);
      throw new TooManyRequestsError(tooMany(evaluation ? 'Too many evaluations for this user' : 'Too many requests for this user', charged.limit, wait), wait);
    }
  }
}

function tooMany(what: string, limit: RateLimit, wait: number): string {
  return `${what}: at most ${limit.points} per ${limit.durationSec} s; retry after ${wait} s`;
}

@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitsModule {}

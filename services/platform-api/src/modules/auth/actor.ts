import type { FastifyRequest } from 'fastify';

/** Who is calling: the verified token plus the user it resolves to, read for this request. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  platformAdmin: boolean;
  issuer: string;
  subject: string;
  /** The token's audiences; an operator-scoped token includes OPERATOR_AUDIENCE. */
  audiences: string[];
}

/** A request once JwtAuthGuard has run: the caller, unless the route is public. */
export interface RequestWithActor extends FastifyRequest {
  actor?: Actor;
  /** True once this request was charged to its caller's budget (RateLimits), so it never is twice. */
  budgetCharged?: boolean;
}

export const OPERATOR_AUDIENCE = 'dezky-operator';

/** True when the actor may use operator endpoints: operator-scoped token AND platform admin. */
export function isOperator(actor: Actor): boolean {
  return actor.platformAdmin && actor.audiences.includes(OPERATOR_AUDIENCE);
}

/** The plans Dezky sells. Defined once; the API validates against this list. */
export const PLANS = ['starter', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}

export const CURRENCY = 'EUR';

/** List price per seat and month, in integer cents. */
export const PLAN_SEAT_PRICE_CENTS: Record<Plan, number> = {
  starter: 400,
  business: 900,
  enterprise: 1800,
};

/** A subscription's monthly price: seats times the plan's seat price, in integer cents. */
export function monthlyPriceCents(plan: Plan, seats: number): number {
  return PLAN_SEAT_PRICE_CENTS[plan] * seats;
}

// Scope matching. Free of Node APIs so browser apps can use it (see the "./scope" export).
import type { EvaluationContext, FlagScope, ScopeAxis } from './types.js';

/** Axes in check order; `explain` reports the first failing one in this order. */
export const SCOPE_AXES: readonly ScopeAxis[] = Object.freeze([
  'plans',
  'tenantSlugs',
  'partnerSlugs',
  'environments',
] as const);

/** True when the axis has at least one entry (missing or null counts as empty). No allocation. */
function nonEmpty(axis: readonly string[] | undefined | null): axis is readonly string[] {
  return axis !== undefined && axis !== null && axis.length > 0;
}

/** An empty axis passes; a non-empty one must contain the value (null never matches). */
function axisAllows(axis: readonly string[] | undefined | null, value: string | null): boolean {
  if (!nonEmpty(axis)) return true;
  if (value === null) return false;
  return axis.includes(value);
}

/** At least one axis of the scope is non-empty. */
export function hasAnyScope(scope: FlagScope | undefined | null): boolean {
  if (scope === undefined || scope === null) return false;
  return (
    nonEmpty(scope.plans) || nonEmpty(scope.tenantSlugs) || nonEmpty(scope.partnerSlugs) || nonEmpty(scope.environments)
  );
}

/**
 * Every non-empty axis contains the context's value for it; empty axes are ignored,
 * so an all-empty (or missing) scope matches everyone.
 */
export function matchesScope(scope: FlagScope | undefined | null, ctx: EvaluationContext): boolean {
  if (scope === undefined || scope === null) return true;
  return (
    axisAllows(scope.plans, ctx.plan) &&
    axisAllows(scope.tenantSlugs, ctx.tenantSlug) &&
    axisAllows(scope.partnerSlugs, ctx.partnerSlug) &&
    axisAllows(scope.environments, ctx.environment)
  );
}

/**
 * The first non-empty axis (in the order plans, tenantSlugs, partnerSlugs, environments)
 * that does not contain the context's value, or null when the scope matches.
 * `firstFailingAxis(s, c) === null` exactly when `matchesScope(s, c)`.
 */
export function firstFailingAxis(scope: FlagScope | undefined | null, ctx: EvaluationContext): ScopeAxis | null {
  if (scope === undefined || scope === null) return null;
  if (!axisAllows(scope.plans, ctx.plan)) return 'plans';
  if (!axisAllows(scope.tenantSlugs, ctx.tenantSlug)) return 'tenantSlugs';
  if (!axisAllows(scope.partnerSlugs, ctx.partnerSlug)) return 'partnerSlugs';
  if (!axisAllows(scope.environments, ctx.environment)) return 'environments';
  return null;
}

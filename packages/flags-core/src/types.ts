/** Lifecycle state of a flag. See EVALUATION.md for what each one means. */
export type FlagState = 'off' | 'on' | 'targeted' | 'rollout';

/**
 * Who a flag applies to. Each axis is an allowlist; a missing or empty axis is ignored.
 * A `targeted` flag with every axis empty reaches nobody; a `rollout` flag with every
 * axis empty makes everyone eligible.
 */
export interface FlagScope {
  plans?: string[];
  tenantSlugs?: string[];
  partnerSlugs?: string[];
  environments?: string[];
}

export interface FlagDefinition {
  key: string;
  state: FlagState;
  /** Integer 0..100: share of eligible tenants a `rollout` flag reaches. */
  pct: number;
  scope?: FlagScope;
}

export interface EvaluationContext {
  /** The tenant's ObjectId as 24 lowercase hex characters. */
  tenantId: string;
  tenantSlug: string;
  plan: string;
  /** Slug of the tenant's partner, or null: null never matches a non-empty partner axis. */
  partnerSlug: string | null;
  /** The environment the API runs in. */
  environment: string;
}

/** The scope axes, in the order they are checked (and reported by `explain`). */
export type ScopeAxis = 'plans' | 'tenantSlugs' | 'partnerSlugs' | 'environments';

/** Why a flag evaluated the way it did; `value` always equals `evaluateFlag`. */
export type Explanation =
  | { value: false; reason: 'off' }
  | { value: true; reason: 'on' }
  /** `targeted` with an all-empty scope: an empty allowlist means nobody. */
  | { value: false; reason: 'no-scope' }
  /** `targeted` or `rollout` whose scope excludes the context; `axis` is the first failing one. */
  | { value: false; reason: 'scope-mismatch'; axis: ScopeAxis }
  /** `targeted` whose (non-empty) scope includes the context. */
  | { value: true; reason: 'scope-match' }
  /** `rollout` whose scope includes the context: on iff `bucket < pct`. */
  | { value: boolean; reason: 'inside-rollout' | 'outside-rollout'; bucket: number; pct: number };

export type ExplanationReason = Explanation['reason'];

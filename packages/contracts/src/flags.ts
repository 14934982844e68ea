import type { Environment } from './environments.js';
import type { Plan } from './plans.js';

export const FLAG_STATES = ['off', 'on', 'targeted', 'rollout'] as const;
export type FlagState = (typeof FLAG_STATES)[number];

/** `^[a-z][a-z0-9_]{2,63}$` */
export const FLAG_KEY_PATTERN = /^[a-z][a-z0-9_]{2,63}$/;

export interface FlagScope {
  plans: Plan[];
  tenantSlugs: string[];
  partnerSlugs: string[];
  environments: Environment[];
}

export const FLAG_SCOPE_AXES = ['plans', 'tenantSlugs', 'partnerSlugs', 'environments'] as const;
export type FlagScopeAxis = (typeof FLAG_SCOPE_AXES)[number];

export interface FlagChange {
  from: unknown;
  to: unknown;
}

/**
 * How a change of a protected flag got past approval: applied from an approved change request
 * (with its author), or by the kill switch, which never waits for one.
 */
export type FlagApproval = { kind: 'change-request'; changeRequestId: string; author: string } | { kind: 'bypassed'; via: 'kill' };

export interface FlagHistoryEntry {
  at: string;
  /** The actor's email. */
  actor: string;
  changes: Record<string, FlagChange>;
  /** On a protected flag: how this change got past approval. */
  approval?: FlagApproval;
}

export interface Flag {
  id: string;
  key: string;
  description: string;
  state: FlagState;
  pct: number;
  scope: FlagScope;
  /** Changes (but the kill switch) need another platform administrator's approval: a change request. */
  protected: boolean;
  /** +1 on every change, for people to read. */
  version: number;
  /** The flag's ETag, opaque and new on every change: what a change sends back as If-Match. */
  etag: string;
  history: FlagHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

/** A draft of a flag change: any subset; a given scope axis replaces that axis. */
export interface FlagDraft {
  description?: string;
  state?: FlagState;
  pct?: number;
  scope?: Partial<FlagScope>;
}

/** Slugs per list in one impact answer, at most (and by default). */
export const IMPACT_PAGE_LIMIT = 100;

/** The two slug lists of an impact preview; `?list=` pages one of them. */
export const IMPACT_LISTS = ['gained', 'lost'] as const;
export type ImpactList = (typeof IMPACT_LISTS)[number];

/**
 * Who gains and loses a flag under a draft. The counts are exact over every tenant; `gained`
 * and `lost` are one page of the sorted slugs (at most `IMPACT_PAGE_LIMIT` each): the first
 * page of both, or the requested page of the one list asked for (the other is then empty).
 */
export interface FlagImpact {
  /** Every tenant. */
  total: number;
  /** Tenants with the flag on now. */
  before: number;
  /** Tenants with the flag on under the draft. */
  after: number;
  /** Tenants that would gain the flag (all of them, not just the page). */
  gainedCount: number;
  /** Tenants that would lose the flag (all of them, not just the page). */
  lostCount: number;
  /** A page of the sorted slugs that would gain the flag. */
  gained: string[];
  /** A page of the sorted slugs that would lose the flag. */
  lost: string[];
}

/** Which page of an impact preview's slug lists to answer. */
export interface ImpactPage {
  /** Page only this list (the other comes back empty); both when absent. */
  list?: ImpactList;
  /** Position of the first slug, from 0. */
  offset: number;
  /** Slugs per list, 1..IMPACT_PAGE_LIMIT. */
  limit: number;
}

export type FlagExplanation =
  | { value: false; reason: 'off' }
  | { value: true; reason: 'on' }
  | { value: false; reason: 'no-scope' }
  | { value: false; reason: 'scope-mismatch'; axis: FlagScopeAxis }
  | { value: true; reason: 'scope-match' }
  | { value: boolean; reason: 'inside-rollout' | 'outside-rollout'; bucket: number; pct: number };

export type EvaluatedFlags = Record<string, boolean>;

/** One flag as one tenant gets it, with why (GET /tenants/:slug/flags). */
export interface TenantFlag {
  key: string;
  description: string;
  state: FlagState;
  /** The rollout percentage (meaningful in state rollout). */
  pct: number;
  value: boolean;
  explanation: FlagExplanation;
}

/** A flag whose value for a tenant a change of its plan or partner would flip. */
export interface TenantFlagFlip {
  key: string;
  description: string;
  before: FlagExplanation;
  after: FlagExplanation;
}

/** What a change of a tenant's plan or partner would do to its flags (POST /tenants/:slug/flags/impact). */
export interface TenantChangeImpact {
  tenantSlug: string;
  /** Flags the tenant would get, by key. */
  gained: TenantFlagFlip[];
  /** Flags the tenant would lose, by key. */
  lost: TenantFlagFlip[];
  /** Flags whose value stays. */
  unchanged: number;
}

/** Days of evaluation counts a flag's usage shows (today last). */
export const FLAG_USAGE_DAYS = 14;

/** Why a flag is potentially stale: its code can likely go, then the flag. */
export type FlagStaleness =
  /** Unchanged since `since` in a final state: off, on for everyone, or a rollout at 100% with no scope. */
  | { reason: 'final'; state: 'off' | 'on' | 'full-rollout'; since: string }
  /** Not evaluated since `since`, or (null) never, in all the days of the rule. */
  | { reason: 'unevaluated'; since: string | null };

/** How much a flag is evaluated, and whether it is potentially stale. */
export interface FlagUsage {
  key: string;
  /** The last evaluation any API process counted, or null when none in the days kept. */
  lastEvaluatedAt: string | null;
  /** Evaluations per UTC day, the oldest first and today last (FLAG_USAGE_DAYS of them). */
  daily: number[];
  /** Set when an operator keeps the flag: it is never reported stale. */
  kept: { by: string; at: string } | null;
  /** Null when the flag is not potentially stale, or kept. */
  stale: FlagStaleness | null;
}

export interface FlagUsageList {
  items: FlagUsage[];
  /** The days of the rule (FLAG_STALE_DAYS). */
  staleAfterDays: number;
  /** The first of the `daily` days (UTC, YYYY-MM-DD). */
  firstDay: string;
}

/** What a change request can change: a flag draft, and un-protecting the flag (`protected: false`). */
export interface ChangeRequestDraft extends FlagDraft {
  protected?: false;
}

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
/** pending: waiting for review; approved: applied to the flag; rejected and withdrawn: closed unapplied. */
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/** Longest review comment. */
export const CHANGE_REQUEST_COMMENT_MAX = 2000;

export interface ChangeRequestPerson {
  userId: string;
  email: string;
}

export interface ChangeRequestReview {
  decision: 'approve' | 'reject';
  comment: string;
  actor: ChangeRequestPerson;
  at: string;
}

/** A change of a protected flag waiting for (or past) another administrator's review. */
export interface ChangeRequest {
  id: string;
  flagKey: string;
  /** What applying changes, as PATCH /flags/:key takes it (a revert is stored as the version's full contents). */
  draft: ChangeRequestDraft;
  /** Set when the request reverts the flag to that version. */
  revertTo: number | null;
  /** Every field the draft changes against the drafted version: `{ field: { from, to } }`, scope per axis. */
  changes: Record<string, FlagChange>;
  /** Who gains and loses the flag, computed when drafted, edited or rebased. */
  impact: FlagImpact;
  author: ChangeRequestPerson;
  /** The flag's version and ETag the draft was made against; approval applies under that ETag only. */
  baseVersion: number;
  baseEtag: string;
  status: ChangeRequestStatus;
  /** Approvals since the draft last changed (edits and rebases reset them), and a rejection. */
  reviews: ChangeRequestReview[];
  /** Approvals it needs from administrators other than the author. */
  approvalsRequired: number;
  /** Pending while the flag has moved past `baseVersion` (or is gone): it must be rebased before approval. */
  stale: boolean;
  /** The flag's version now; null when the flag no longer exists. */
  flagVersion: number | null;
  /** The version approving it made. */
  appliedVersion: number | null;
  /** +1 on every change of the request (edits, reviews), for conditional updates. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

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

export interface FlagHistoryEntry {
  at: string;
  /** The actor's email. */
  actor: string;
  changes: Record<string, FlagChange>;
}

export interface Flag {
  id: string;
  key: string;
  description: string;
  state: FlagState;
  pct: number;
  scope: FlagScope;
  version: number;
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

export interface FlagImpact {
  total: number;
  before: number;
  after: number;
  gained: string[];
  lost: string[];
}

export type FlagExplanation =
  | { value: false; reason: 'off' }
  | { value: true; reason: 'on' }
  | { value: false; reason: 'no-scope' }
  | { value: false; reason: 'scope-mismatch'; axis: FlagScopeAxis }
  | { value: true; reason: 'scope-match' }
  | { value: boolean; reason: 'inside-rollout' | 'outside-rollout'; bucket: number; pct: number };

export type EvaluatedFlags = Record<string, boolean>;

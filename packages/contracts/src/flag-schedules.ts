import type { FlagImpact, FlagState } from './flags.js';

/** Steps of one planned ramp, at most. */
export const SCHEDULE_STEPS_MAX = 20;
/** How far ahead a ramp may plan its last step, in days. */
export const SCHEDULE_HORIZON_DAYS = 366;
/** What a first step sends as its time to be applied at once, when the plan is saved. */
export const SCHEDULE_NOW = 'now';

/**
 * A planned ramp's life: `active` (its pending steps apply at their times), `paused` (nothing
 * applies until resumed; `reason` says why), `done` (every step applied), `cancelled`.
 */
export const SCHEDULE_STATUSES = ['active', 'paused', 'done', 'cancelled'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** One step as an operator plans it: a time (ISO 8601, or `now` for the first) and a state and/or pct. */
export interface FlagScheduleStepDraft {
  at: string;
  state?: FlagState;
  pct?: number;
}

/** PUT /flags/:key/schedule and its preview. */
export interface FlagScheduleDraft {
  steps: FlagScheduleStepDraft[];
}

/** One step of a saved plan; `executedAt` and `version` once applied. */
export interface FlagScheduleStep {
  /** UTC, ISO 8601. */
  at: string;
  state?: FlagState;
  pct?: number;
  executedAt: string | null;
  /** The flag's version the step made (or found, when the flag already was so). */
  version: number | null;
}

export interface FlagSchedule {
  key: string;
  status: ScheduleStatus;
  steps: FlagScheduleStep[];
  /** Email of the operator whose plan it is (who saved it, or last resumed it); its steps apply on their authority. */
  plannedBy: string;
  plannedAt: string;
  /** The flag's version the plan was saved (or last resumed) against. */
  baseVersion: number;
  /** The version the flag must still have for the next step to apply. */
  expectedVersion: number;
  /** Why it is paused or cancelled (a change by someone, the kill switch, an operator). */
  reason: string | null;
  updatedAt: string;
}

/** GET /flags/:key/schedule and every schedule write: the flag's plan, or null when it has none. */
export interface FlagScheduleAnswer {
  schedule: FlagSchedule | null;
}

/** One step of a preview: the flag after it, against the step before it (the first against today's flag). */
export interface FlagScheduleStepImpact extends FlagImpact {
  at: string;
  state: FlagState;
  pct: number;
}

/** POST /flags/:key/schedule/preview: every step's exact impact over today's tenants, cumulatively. */
export interface FlagSchedulePreview {
  total: number;
  steps: FlagScheduleStepImpact[];
}

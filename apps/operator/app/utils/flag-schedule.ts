// A planned ramp as the flag panel edits and shows it: rows of the editor (times in the browser's
// time zone, as <input type="datetime-local"> reads them) turned into the steps the API takes
// (UTC, ISO 8601), the times of saved steps in the browser's zone with UTC beside, and each step's
// impact in a line ("312 of 1,204 tenants").
import {
  FLAG_STATES,
  PCT_MAX,
  PCT_MIN,
  SCHEDULE_HORIZON_DAYS,
  SCHEDULE_NOW,
  SCHEDULE_STEPS_MAX,
  type FlagScheduleStep,
  type FlagScheduleStepDraft,
  type FlagState,
  type ScheduleStatus,
} from '@dezky/contracts';

/** One row of the plan editor. */
export interface PlanRow {
  /** Stable across edits, for the list's keys. */
  id: number;
  /** The first row only: applied as the plan is saved. */
  now: boolean;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone (datetime-local). */
  local: string;
  /** '' keeps the state the step before left. */
  state: FlagState | '';
  /** The percentage as typed; '' keeps it. */
  pct: string;
}

export const SCHEDULE_STATUS_COLORS: Record<ScheduleStatus, 'success' | 'warning' | 'neutral' | 'info'> = {
  active: 'success',
  paused: 'warning',
  done: 'info',
  cancelled: 'neutral',
};

export const SCHEDULE_STATUS_LABELS: Record<ScheduleStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  done: 'Done',
  cancelled: 'Cancelled',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as a datetime-local value, in the zone of this runtime (the browser's). */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an instant; undefined for an empty or invalid one. */
export function localInputToMs(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** A time for a new row: the day after `after` (or after now), at 10:00 local time. */
export function nextDefaultTime(after: number | undefined, now: number): number {
  const d = new Date(Math.max(after ?? now, now));
  d.setDate(d.getDate() + 1);
  d.setHours(10, 0, 0, 0);
  return d.getTime();
}

/** The browser's IANA time zone ("Europe/Berlin"). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** "Tue 12 May, 10:00 CEST" in `zone`, and "08:00 UTC" (with its date when that differs). */
export function stepTime(iso: string, zone: string): { local: string; utc: string } {
  const d = new Date(iso);
  const local = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' }).format(d);
  const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(d) === new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(d);
  const utc = new Intl.DateTimeFormat('en-GB', { ...(sameDay ? {} : { day: 'numeric', month: 'short' }), hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(d);
  return { local, utc: `${utc} UTC` };
}

/** What a step sets: "rollout at 25%", "on", "25%". */
export function stepChange(step: { state?: FlagState | ''; pct?: number }): string {
  const state = step.state || undefined;
  if (state && step.pct !== undefined) return state === 'rollout' ? `rollout at ${step.pct}%` : `${state}, ${step.pct}%`;
  if (state) return state;
  return step.pct !== undefined ? `${step.pct}%` : 'no change';
}

/** The rows as the API's steps, or every problem that keeps them from being saved. */
export function rowsToSteps(rows: readonly PlanRow[], now: number): { steps: FlagScheduleStepDraft[]; problems: string[] } {
  const problems: string[] = [];
  const steps: FlagScheduleStepDraft[] = [];
  if (!rows.length) problems.push('Add at least one step.');
  if (rows.length > SCHEDULE_STEPS_MAX) problems.push(`A plan has at most ${SCHEDULE_STEPS_MAX} steps.`);
  let previous: number | undefined;
  rows.forEach((row, i) => {
    const name = `Step ${i + 1}`;
    const step: FlagScheduleStepDraft = { at: SCHEDULE_NOW };
    let at = now;
    if (!row.now || i > 0) {
      const ms = localInputToMs(row.local);
      if (ms === undefined) {
        problems.push(`${name}: pick a date and time.`);
        return;
      }
      at = ms;
      if (ms <= now) problems.push(`${name} is in the past.`);
      else if (ms > now + SCHEDULE_HORIZON_DAYS * 86_400_000) problems.push(`${name} is more than ${SCHEDULE_HORIZON_DAYS} days ahead.`);
      step.at = new Date(ms).toISOString();
    }
    if (previous !== undefined && at <= previous) problems.push(`${name} must come after step ${i}.`);
    previous = at;
    if (row.state) {
      if ((FLAG_STATES as readonly string[]).includes(row.state)) step.state = row.state;
    }
    const text = row.pct.trim();
    if (text !== '') {
      const pct = Number(text);
      if (!/^\d{1,3}$/.test(text) || pct < PCT_MIN || pct > PCT_MAX) problems.push(`${name}: the percentage must be a whole number from 0 to 100.`);
      else step.pct = pct;
    }
    if (step.state === undefined && text === '') problems.push(`${name}: set a state, a percentage or both.`);
    steps.push(step);
  });
  return { steps, problems };
}

/** The editor's rows for a plan to start from: its pending steps, or one "now" row. */
export function rowsFromSteps(steps: readonly FlagScheduleStep[], nextId: () => number): PlanRow[] {
  return steps
    .filter((s) => !s.executedAt)
    .map((s) => ({ id: nextId(), now: false, local: localInputValue(new Date(s.at).getTime()), state: s.state ?? '', pct: s.pct === undefined ? '' : String(s.pct) }));
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** "312 of 1,204 tenants" and the change against the step before ("+180", "−12", "no change"). */
export function impactLine(impact: { total: number; after: number; gainedCount: number; lostCount: number }): { count: string; delta: string } {
  const parts = [impact.gainedCount ? `+${fmt(impact.gainedCount)}` : '', impact.lostCount ? `−${fmt(impact.lostCount)}` : ''].filter(Boolean);
  return { count: `${fmt(impact.after)} of ${fmt(impact.total)} tenants`, delta: parts.length ? parts.join(' ') : 'no change' };
}

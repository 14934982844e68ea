import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  SCHEDULE_HORIZON_DAYS,
  SCHEDULE_NOW,
  SCHEDULE_STEPS_MAX,
  type Flag,
  type FlagSchedule,
  type FlagScheduleDraft,
  type FlagSchedulePreview,
  type FlagScheduleStepDraft,
} from '@dezky/contracts';
import { Clock } from '../../common/clock';
import { BadRequestError, ConflictError, DomainError, PreconditionFailedError } from '../../common/errors/domain-errors';
import type { Actor } from '../auth/actor';
import { PlatformAdmins } from '../users/platform-admins';
import { WriteRecorder, type AuditedWrite } from '../writes/write-recorder';
import { ifMatchAllows, type IfMatch } from './flag-etag';
import { FlagSchedulesRepository, type ScheduleFields, type StoredSchedule, type StoredStep } from './flag-schedules.repository';
import { FlagsService } from './flags.service';

/** How long a process holds the claim on a step it applies; past it, another may take over. */
const CLAIM_MS = 30_000;
/** How long a cancel, pause or resume waits for a step being applied to finish. */
const TRANSITION_WAIT_MS = 5_000;
/** Plans looked at per tick, at most (the next tick takes the rest). */
const DUE_PER_TICK = 100;
const HORIZON_MS = SCHEDULE_HORIZON_DAYS * 86_400_000;
/** An ISO 8601 date-time with its offset from UTC (Z or ±hh:mm): the time a step applies at. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant whose date and time exist as written (no 30 February, no 24:00): Date.parse
 * would move those to another day silently.
 */
function isCalendarInstant(text: string): boolean {
  const m = ISO_INSTANT.exec(text);
  if (!m || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day, hour, minute] = text.slice(0, 16).split(/[-T:]/).map(Number) as [number, number, number, number, number];
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return local.getUTCFullYear() === year && local.getUTCMonth() === month - 1 && local.getUTCDate() === day && local.getUTCHours() === hour && local.getUTCMinutes() === minute;
}

/** A step as validated: its time as an instant, and what it changes. */
type PlannedStep = Pick<StoredStep, 'at' | 'state' | 'pct'>;

/** Why a protected flag has no planned ramp: its steps would change it without approval. */
function protectedPlan(key: string): string {
  return `Flag ${key} is protected: its changes need another platform administrator's approval, so no ramp can be planned on it. Open a change request (POST /flags/${key}/change-requests) for each step instead.`;
}

/** Who applies a step: the scheduler, on behalf of the operator who planned it (audit and history read this). */
function schedulerActor(plan: Pick<StoredSchedule, 'plannedById' | 'plannedBy'>): Actor {
  return {
    userId: plan.plannedById,
    email: `scheduler (planned by ${plan.plannedBy})`,
    name: 'scheduler',
    platformAdmin: true,
    issuer: 'dezky-scheduler',
    subject: 'scheduler',
    audiences: [],
  };
}

/** The plan as the API answers it. */
export function publicSchedule(plan: StoredSchedule): FlagSchedule {
  return {
    key: plan.key,
    status: plan.status,
    steps: plan.steps.map((s) => ({
      at: s.at.toISOString(),
      ...(s.state !== undefined ? { state: s.state } : {}),
      ...(s.pct !== undefined ? { pct: s.pct } : {}),
      executedAt: s.executedAt ? s.executedAt.toISOString() : null,
      version: s.version,
    })),
    plannedBy: plan.plannedBy,
    plannedAt: plan.plannedAt.toISOString(),
    baseVersion: plan.baseVersion,
    expectedVersion: plan.expectedVersion,
    reason: plan.reason,
    updatedAt: plan.updatedAt.toISOString(),
  };
}

/**
 * Planned ramps of flags: steps of state and/or pct at given times, applied by the scheduler
 * through FlagsService like any change, each only to the version of the flag the plan expects.
 * A flag changed by someone else in between pauses the plan instead (the operator resumes it
 * once they have seen the change); the kill switch cancels it; deleting the flag deletes it.
 *
 * Exactly once across processes: a process applies a step only once it holds the plan's claim
 * (a conditional update on an unclaimed, or expired, claim at the plan's revision), and records
 * the step under that claim. A process that dies between applying and recording leaves a flag
 * one version ahead whose newest change is the step's own: the next claimant records it as
 * applied instead of applying it again (any other change pauses the plan).
 */
@Injectable()
export class FlagSchedulesService implements OnModuleInit {
  private readonly logger = new Logger(FlagSchedulesService.name);
  /** This process, as its claims name it. */
  private readonly processId = randomUUID();

  constructor(
    private readonly schedules: FlagSchedulesRepository,
    private readonly flags: FlagsService,
    private readonly writes: WriteRecorder,
    private readonly clock: Clock,
    private readonly admins: PlatformAdmins,
  ) {}

  onModuleInit(): void {
    this.writes.onWrite((write) => this.followFlagWrite(write));
  }

  async get(key: string): Promise<FlagSchedule | null> {
    await this.flags.get(key);
    const plan = await this.schedules.findByKey(key);
    return plan ? publicSchedule(plan) : null;
  }

  /** Each step's exact impact over today's tenants, cumulatively; nothing is saved. */
  async preview(key: string, draft: FlagScheduleDraft): Promise<FlagSchedulePreview> {
    await this.flags.get(key);
    const steps = this.validate(draft.steps, this.clock.now());
    const series = await this.flags.impactSeries(
      key,
      steps.map((s) => ({ state: s.state, pct: s.pct })),
    );
    return { total: series[0]?.total ?? 0, steps: series.map((impact, i) => ({ ...impact, at: steps[i]!.at.toISOString() })) };
  }

  /**
   * Creates or replaces the flag's plan, against the flag's current version (with If-Match, only
   * if the flag still has that ETag). A first step planned `now` is applied before the answer.
   */
  async set(actor: Actor, key: string, draft: FlagScheduleDraft, condition: IfMatch | undefined): Promise<FlagSchedule> {
    const flag = await this.flags.get(key);
    if (flag.protected) throw new ConflictError(protectedPlan(key));
    if (condition && !ifMatchAllows(condition, flag.etag)) {
      throw new PreconditionFailedError(`Flag ${key} was changed since you read it: it is now at version ${flag.version}. Review it and plan again.`);
    }
    const now = this.clock.now();
    const steps = this.validate(draft.steps, now);
    const before = await this.schedules.findByKey(key);
    const saved = await this.schedules.replace(key, {
      status: 'active',
      steps: steps.map((s) => ({ ...s, executedAt: null, version: null })),
      next: 0,
      nextAt: steps[0]!.at,
      plannedById: actor.userId,
      plannedBy: actor.email,
      plannedAt: new Date(now),
      baseVersion: flag.version,
      expectedVersion: flag.version,
      reason: null,
    });
    await this.auditPlan(actor, 'flag.schedule_set', key, before, saved);
    if (saved && saved.nextAt && saved.nextAt.getTime() <= now) await this.runPlan(saved, now);
    return publicSchedule((await this.schedules.findByKey(key)) ?? saved!);
  }

  /** Cancels the plan's pending steps; a plan with none pending is answered as it is. */
  async cancel(actor: Actor, key: string, reason = `Cancelled by ${actor.email}`): Promise<FlagSchedule | null> {
    await this.flags.get(key);
    return this.transition(actor, key, ['active', 'paused'], 'flag.schedule_delete', () => ({ status: 'cancelled', nextAt: null, reason }));
  }

  async pause(actor: Actor, key: string): Promise<FlagSchedule | null> {
    await this.flags.get(key);
    const plan = await this.schedules.findByKey(key);
    if (plan?.status === 'paused') return publicSchedule(plan);
    if (plan?.status !== 'active') throw new ConflictError(`Flag ${key} has no active plan to pause${plan ? ` (its plan is ${plan.status})` : ''}`);
    return this.transition(actor, key, ['active'], 'flag.schedule_pause', () => ({ status: 'paused', nextAt: null, reason: `Paused by ${actor.email}` }));
  }

  /**
   * Resumes a paused plan on the flag as it is now (the operator has seen what changed it). Its
   * next step applies at its time, at once if that has passed; a plan with more than one pending
   * step in the past is refused (it would apply them back to back): plan again. The plan becomes
   * the resuming operator's: the scheduler applies its remaining steps on their authority.
   */
  async resume(actor: Actor, key: string): Promise<FlagSchedule | null> {
    const flag = await this.flags.get(key);
    const plan = await this.schedules.findByKey(key);
    if (plan?.status === 'active') return publicSchedule(plan);
    if (flag.protected) throw new ConflictError(protectedPlan(key));
    if (plan?.status !== 'paused') throw new ConflictError(`Flag ${key} has no paused plan to resume${plan ? ` (its plan is ${plan.status})` : ''}`);
    const now = this.clock.now();
    const overdue = plan.steps.slice(plan.next + 1).filter((s) => s.at.getTime() <= now).length;
    if (overdue > 0) {
      throw new ConflictError(`Flag ${key}'s plan has ${overdue + 1} pending steps whose time has passed; resuming would apply them back to back. Cancel it and plan again.`);
    }
    // Whoever resumes has reviewed the flag as it is: the remaining steps apply on their authority.
    const resumed = await this.transition(actor, key, ['paused'], 'flag.schedule_resume', (p) => ({
      status: 'active',
      nextAt: p.steps[p.next]!.at,
      baseVersion: flag.version,
      expectedVersion: flag.version,
      plannedById: actor.userId,
      plannedBy: actor.email,
      reason: null,
    }));
    const stored = await this.schedules.findByKey(key);
    if (stored?.status === 'active' && stored.nextAt && stored.nextAt.getTime() <= now) {
      await this.runPlan(stored, now);
      return publicSchedule((await this.schedules.findByKey(key)) ?? stored);
    }
    return resumed;
  }

  /** Applies every due step of every active plan (one step per plan per call). */
  async runDue(): Promise<void> {
    const now = this.clock.now();
    for (const plan of await this.schedules.due(new Date(now), DUE_PER_TICK)) {
      try {
        await this.runPlan(plan, now);
      } catch (error) {
        this.logger.error(`Step ${plan.next + 1} of the plan of flag ${plan.key} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** The plan's due step, applied once if this process wins its claim. */
  private async runPlan(plan: StoredSchedule, now: number): Promise<void> {
    const claimed = await this.schedules.claim(plan.key, plan.revision, this.processId, new Date(now), new Date(now + CLAIM_MS));
    if (!claimed) return;
    const index = claimed.next;
    const step = claimed.steps[index]!;
    const actor = schedulerActor(claimed);
    let flag: Flag;
    try {
      flag = await this.flags.get(claimed.key);
    } catch (error) {
      if (error instanceof DomainError && error.status === 404) {
        await this.schedules.delete(claimed.key);
        return;
      }
      throw error;
    }
    // A flag protected since the plan was made changes through approved requests only.
    if (flag.protected) return this.halt(claimed, flag, index, `Step ${index + 1} was not applied: flag ${flag.key} is protected, so its changes need another administrator's approval. Cancel the plan and open a change request.`);
    // The scheduler acts on the planner's authority: it ends with their administrator rights.
    if (!(await this.admins.isOperatorAdmin(claimed.plannedById))) {
      return this.halt(
        claimed,
        flag,
        index,
        `Step ${index + 1} was not applied: ${claimed.plannedBy}, who planned it, is no longer a platform administrator. Another administrator can resume the plan, which makes it theirs, or cancel it.`,
      );
    }
    let applied: Flag | undefined;
    if (flag.version === claimed.expectedVersion) {
      try {
        applied = await this.flags.applyScheduledStep(actor, claimed.key, { state: step.state, pct: step.pct }, flag.etag, index + 1);
      } catch (error) {
        if (!(error instanceof DomainError && error.status === 412)) {
          await this.schedules.updateIfUnchanged(claimed.key, claimed.revision, {}, { by: this.processId });
          throw error;
        }
        flag = await this.flags.get(claimed.key);
      }
    } else if (flag.version === claimed.expectedVersion + 1 && flag.history[0]?.actor === actor.email && this.isStep(flag, step)) {
      // Applied by a process that died before recording it.
      applied = flag;
    }
    if (!applied) return this.halt(claimed, flag, index);
    const version = applied.version;
    const steps = claimed.steps.map((s, i) => (i === index ? { ...s, executedAt: new Date(now), version } : s));
    const next = index + 1;
    const fields: ScheduleFields = {
      steps,
      next,
      nextAt: next < steps.length ? steps[next]!.at : null,
      status: next < steps.length ? 'active' : 'done',
      expectedVersion: version,
    };
    if (!(await this.schedules.updateIfUnchanged(claimed.key, claimed.revision, fields, { by: this.processId }))) {
      this.logger.warn(`The plan of flag ${claimed.key} was replaced while its step ${next} applied; the new plan starts from the version before it`);
    }
  }

  /** The flag changed since the plan expected it: the step is not applied and the plan pauses, saying why. */
  private async halt(plan: StoredSchedule, flag: Flag, index: number, why?: string): Promise<void> {
    const last = flag.history[0];
    const by = last ? ` by ${last.actor} at ${new Date(last.at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    const reason =
      why ??
      `Step ${index + 1} was not applied: flag ${flag.key} was changed${by} (it is at version ${flag.version}, the plan expected version ${plan.expectedVersion}). ` +
        'Review the flag, then resume the plan on its current version or cancel it.';
    const halted = await this.schedules.updateIfUnchanged(plan.key, plan.revision, { status: 'paused', nextAt: null, reason }, { by: this.processId });
    if (halted) await this.auditPlan(schedulerActor(plan), 'flag.schedule_halt', plan.key, plan, halted);
  }

  /** True when the flag's newest change is exactly what the step sets. */
  private isStep(flag: Flag, step: StoredStep): boolean {
    return (step.state === undefined || flag.state === step.state) && (step.pct === undefined || flag.pct === step.pct);
  }

  /**
   * A change of status from one of `from`, audited as `action`; a plan in another status (or
   * none) is answered as it is.
   */
  private async transition(
    actor: Actor,
    key: string,
    from: StoredSchedule['status'][],
    action: string,
    fields: (plan: StoredSchedule) => ScheduleFields,
  ): Promise<FlagSchedule | null> {
    // While a process applies a step (its claim, held for milliseconds normally), the change
    // waits for it: a cancel or pause that answered never has a step land after it.
    const deadline = Date.now() + TRANSITION_WAIT_MS;
    do {
      const plan = await this.schedules.findByKey(key);
      if (!plan || !from.includes(plan.status)) return plan ? publicSchedule(plan) : null;
      const updated = await this.schedules.updateIfUnchanged(key, plan.revision, fields(plan), { now: new Date(this.clock.now()) });
      if (updated) {
        await this.auditPlan(actor, action, key, plan, updated);
        return publicSchedule(updated);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    throw new ConflictError(`A step of flag ${key}'s plan is being applied right now; try again in a moment`);
  }

  /** A plan write: audited on the flag, with no change entry (evaluation never reads plans). */
  private auditPlan(actor: Actor, action: string, key: string, before: StoredSchedule | null, after: StoredSchedule | null): Promise<void> {
    return this.writes.recordWrite({
      actor,
      action,
      target: { type: 'flag', id: key },
      before: before ? publicSchedule(before) : null,
      after: after ? publicSchedule(after) : null,
      changes: [],
    });
  }

  /** The kill switch cancels the flag's pending steps; a deleted flag takes its plan with it. */
  private async followFlagWrite(write: AuditedWrite): Promise<void> {
    if (write.target.type !== 'flag') return;
    const key = write.target.id;
    if (write.action === 'flag.kill') {
      await this.transition(write.actor, key, ['active', 'paused'], 'flag.schedule_delete', () => ({
        status: 'cancelled',
        nextAt: null,
        reason: `Cancelled by the kill switch (${write.actor.email})`,
      }));
    } else if (write.action === 'flag.delete') {
      const plan = await this.schedules.findByKey(key);
      if (!plan) return;
      await this.schedules.delete(key);
      if (plan.status === 'active' || plan.status === 'paused') await this.auditPlan(write.actor, 'flag.schedule_delete', key, plan, null);
    }
  }

  /** The steps as planned at `now`, or a 400 naming every problem. */
  private validate(steps: readonly FlagScheduleStepDraft[], now: number): PlannedStep[] {
    const problems: string[] = [];
    if (!Array.isArray(steps) || steps.length === 0) throw new BadRequestError('steps must list at least one step');
    if (steps.length > SCHEDULE_STEPS_MAX) throw new BadRequestError(`steps must list at most ${SCHEDULE_STEPS_MAX} steps`);
    const planned: PlannedStep[] = [];
    steps.forEach((s, i) => {
      const name = `steps[${i}]`;
      if (s.state === undefined && s.pct === undefined) problems.push(`${name} must change state, pct or both`);
      let at: number;
      if (s.at === SCHEDULE_NOW) {
        if (i > 0) problems.push(`${name}.at: only the first step may be "${SCHEDULE_NOW}"`);
        at = now;
      } else if (!isCalendarInstant(s.at)) {
        problems.push(`${name}.at must be "${SCHEDULE_NOW}" or an ISO 8601 date-time with its offset from UTC, such as 2026-05-12T10:00:00Z`);
        return;
      } else {
        at = Date.parse(s.at);
        if (at <= now) problems.push(`${name}.at ${s.at} is in the past (it is ${new Date(now).toISOString()}); only a first step may be "${SCHEDULE_NOW}"`);
        else if (at > now + HORIZON_MS) problems.push(`${name}.at ${s.at} is more than ${SCHEDULE_HORIZON_DAYS} days ahead`);
      }
      const previous = planned.at(-1);
      if (previous && at <= previous.at.getTime()) problems.push(`${name}.at must be later than steps[${i - 1}].at`);
      planned.push({ at: new Date(at), ...(s.state !== undefined ? { state: s.state } : {}), ...(s.pct !== undefined ? { pct: s.pct } : {}) });
    });
    if (problems.length) throw new BadRequestError(`Invalid plan: ${problems.join('; ')}`);
    return planned;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FlagState, ScheduleStatus } from '@dezky/contracts';
import mongoose, { Model } from 'mongoose';
import { Repository } from '../../common/mongo/repository';
import type { Lean } from '../../common/mongo/to-plain';
import { FlagSchedule } from './flag-schedule.schema';

export interface StoredStep {
  at: Date;
  state?: FlagState;
  pct?: number;
  executedAt: Date | null;
  version: number | null;
}

/** A flag's plan as stored, with the scheduler's bookkeeping. */
export interface StoredSchedule {
  key: string;
  status: ScheduleStatus;
  steps: StoredStep[];
  next: number;
  nextAt: Date | null;
  plannedById: string;
  plannedBy: string;
  plannedAt: Date;
  baseVersion: number;
  expectedVersion: number;
  reason: string | null;
  revision: number;
  claim: { by: string; until: Date } | null;
  updatedAt: Date;
}

/** The fields a plan is written with (the repository numbers its revisions). */
export type ScheduleFields = Partial<Omit<StoredSchedule, 'key' | 'revision' | 'claim' | 'updatedAt'>>;

function toStored(doc: Lean<FlagSchedule>): StoredSchedule {
  return {
    key: doc.key,
    status: doc.status,
    steps: (doc.steps ?? []).map((s) => ({
      at: new Date(s.at),
      ...(s.state !== undefined && s.state !== null ? { state: s.state } : {}),
      ...(s.pct !== undefined && s.pct !== null ? { pct: s.pct } : {}),
      executedAt: s.executedAt ? new Date(s.executedAt) : null,
      version: s.version ?? null,
    })),
    next: doc.next,
    nextAt: doc.nextAt ? new Date(doc.nextAt) : null,
    plannedById: doc.plannedById.toHexString(),
    plannedBy: doc.plannedBy,
    plannedAt: new Date(doc.plannedAt),
    baseVersion: doc.baseVersion,
    expectedVersion: doc.expectedVersion,
    reason: doc.reason ?? null,
    revision: doc.revision,
    claim: doc.claim ? { by: doc.claim.by, until: new Date(doc.claim.until) } : null,
    updatedAt: doc.updatedAt ?? new Date(0),
  };
}

function toDoc(fields: ScheduleFields): Record<string, unknown> {
  const { plannedById, ...rest } = fields;
  return plannedById === undefined ? rest : { ...rest, plannedById: new mongoose.Types.ObjectId(plannedById) };
}

@Injectable()
export class FlagSchedulesRepository extends Repository<FlagSchedule, StoredSchedule> {
  constructor(@InjectModel(FlagSchedule.name) schedules: Model<FlagSchedule>) {
    super(schedules, toStored);
  }

  findByKey(key: string): Promise<StoredSchedule | null> {
    return this.one({ key });
  }

  /** The flag's plan replaced whole by a new one (a new revision, no claim). */
  replace(key: string, fields: Required<ScheduleFields>): Promise<StoredSchedule | null> {
    return this.model
      .findOneAndUpdate({ key }, { $set: { ...toDoc(fields), claim: null }, $inc: { revision: 1 }, $setOnInsert: { key } }, { upsert: true, new: true })
      .lean<Lean<FlagSchedule>>()
      .then((doc) => (doc ? toStored(doc) : null));
  }

  /**
   * Writes `fields` only if the plan is still at `revision` and, with `claimedBy`, still claimed
   * by that process, or else with `now`, not claimed by any process at `now` (a step being
   * applied is never cancelled or paused under it): of two writers holding the same read,
   * exactly one succeeds.
   */
  updateIfUnchanged(key: string, revision: number, fields: ScheduleFields, claim: { by: string } | { now: Date }): Promise<StoredSchedule | null> {
    const held = 'by' in claim ? { 'claim.by': claim.by } : { $or: [{ claim: null }, { 'claim.until': mongoose.trusted({ $lt: claim.now }) }] };
    return this.updated({ key, revision, ...held }, { $set: { ...toDoc(fields), claim: null }, $inc: { revision: 1 } });
  }

  /** Active plans whose next step is due at `now`, by time. */
  due(now: Date, limit: number): Promise<StoredSchedule[]> {
    return this.model
      .find({ status: 'active', nextAt: mongoose.trusted({ $lte: now }) })
      .sort({ nextAt: 1 })
      .limit(limit)
      .lean<Lean<FlagSchedule>[]>()
      .then((docs) => docs.map(toStored));
  }

  /**
   * Claims the due step of a plan for one process until `until`: only while the plan is still at
   * `revision`, still active and unclaimed (or its claim expired). At most one process holds it.
   */
  claim(key: string, revision: number, by: string, now: Date, until: Date): Promise<StoredSchedule | null> {
    return this.updated(
      { key, revision, status: 'active', nextAt: mongoose.trusted({ $lte: now }), $or: [{ claim: null }, { 'claim.until': mongoose.trusted({ $lt: now }) }] },
      { $set: { claim: { by, until } } },
    );
  }

  /** Flags whose plan still has steps to apply (active or paused). */
  async pendingKeys(): Promise<Set<string>> {
    const docs = await this.model.find({ status: mongoose.trusted({ $in: ['active', 'paused'] }) }, { key: 1 }).lean<{ key: string }[]>();
    return new Set(docs.map((d) => d.key));
  }

  async delete(key: string): Promise<boolean> {
    const res = await this.model.deleteOne({ key });
    return res.deletedCount === 1;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model } from 'mongoose';
import { FlagKeep, FlagLastEvaluated, FlagUsageDay } from './flag-usage.schema';

/** A process's running total of a flag's evaluations on a day. */
export interface UsageTotal {
  key: string;
  day: number;
  count: number;
  lastAt: number;
}

export interface StoredDay extends UsageTotal {
  process: string;
}

export interface Keep {
  key: string;
  by: string;
  at: string;
}

/** The stored evaluation counts (flag_usage, flag_last_evaluated) and keeps (flag_keeps). */
@Injectable()
export class FlagUsageRepository {
  constructor(
    @InjectModel(FlagUsageDay.name) private readonly days: Model<FlagUsageDay>,
    @InjectModel(FlagLastEvaluated.name) private readonly last: Model<FlagLastEvaluated>,
    @InjectModel(FlagKeep.name) private readonly keeps: Model<FlagKeep>,
  ) {}

  /**
   * Stores a process's running totals and moves each flag's last evaluation on, in two round
   * trips. Only ever raises what is stored ($max): writing the same totals again changes nothing.
   */
  async store(process: string, totals: readonly UsageTotal[]): Promise<void> {
    if (totals.length === 0) return;
    await this.days.bulkWrite(
      totals.map((t) => ({
        updateOne: {
          filter: { _id: `${t.key}:${t.day}:${process}` },
          update: { $max: { count: t.count, lastAt: new Date(t.lastAt) }, $setOnInsert: { key: t.key, day: t.day, process } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    const lastByKey = new Map<string, number>();
    for (const t of totals) lastByKey.set(t.key, Math.max(lastByKey.get(t.key) ?? 0, t.lastAt));
    await this.last.bulkWrite(
      [...lastByKey].map(([key, lastAt]) => ({ updateOne: { filter: { _id: key }, update: { $max: { lastAt: new Date(lastAt) } }, upsert: true } })),
      { ordered: false },
    );
  }

  /** Every process's totals from `firstDay` on. */
  async since(firstDay: number): Promise<StoredDay[]> {
    const docs = await this.days.find({ day: mongoose.trusted({ $gte: firstDay }) }).lean<FlagUsageDay[]>();
    return docs.map((d) => ({ key: d.key, day: d.day, process: d.process, count: d.count, lastAt: new Date(d.lastAt).getTime() }));
  }

  /** Each flag's last evaluation, by key. */
  async lastEvaluations(): Promise<Map<string, number>> {
    const docs = await this.last.find({}).lean<FlagLastEvaluated[]>();
    return new Map(docs.map((d) => [d._id, new Date(d.lastAt).getTime()]));
  }

  /** Removes the days before `day` (they are never shown again). */
  async pruneBefore(day: number): Promise<void> {
    await this.days.deleteMany({ day: mongoose.trusted({ $lt: day }) });
  }

  async allKeeps(): Promise<Keep[]> {
    const docs = await this.keeps.find({}).lean<FlagKeep[]>();
    return docs.map((d) => ({ key: d.key, by: d.by, at: new Date(d.at).toISOString() }));
  }

  async findKeep(key: string): Promise<Keep | null> {
    const doc = await this.keeps.findOne({ key }).lean<FlagKeep>();
    return doc ? { key: doc.key, by: doc.by, at: new Date(doc.at).toISOString() } : null;
  }

  /** Keeps the flag; the keep already there when there is one (first keep wins). */
  async keep(key: string, by: string, at: Date): Promise<{ keep: Keep; created: boolean }> {
    const res = await this.keeps.updateOne({ key }, { $setOnInsert: { key, by, at } }, { upsert: true });
    const keep = await this.findKeep(key);
    return { keep: keep!, created: res.upsertedCount === 1 };
  }

  /** True when there was a keep to remove. */
  async unkeep(key: string): Promise<boolean> {
    return (await this.keeps.deleteOne({ key })).deletedCount === 1;
  }
}

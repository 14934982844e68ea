import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model } from 'mongoose';
import { FlagKeep, FlagUsageDay } from './flag-usage.schema';

/** Evaluations of a flag on a day, as a process adds them. */
export interface UsageAddition {
  key: string;
  day: number;
  count: number;
  lastAt: number;
}

export interface StoredDay {
  key: string;
  day: number;
  count: number;
  lastAt: number;
}

export interface Keep {
  key: string;
  by: string;
  at: string;
}

/** The stored evaluation counts (flag_usage) and keeps (flag_keeps). */
@Injectable()
export class FlagUsageRepository {
  constructor(
    @InjectModel(FlagUsageDay.name) private readonly days: Model<FlagUsageDay>,
    @InjectModel(FlagKeep.name) private readonly keeps: Model<FlagKeep>,
  ) {}

  /** Adds each count to its flag's day, in one round trip; additions from processes sum up. */
  async add(additions: readonly UsageAddition[]): Promise<void> {
    if (additions.length === 0) return;
    await this.days.bulkWrite(
      additions.map((a) => ({
        updateOne: {
          filter: { _id: `${a.key}:${a.day}` },
          update: { $inc: { count: a.count }, $max: { lastAt: new Date(a.lastAt) }, $setOnInsert: { key: a.key, day: a.day } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Every flag's counts from `firstDay` on. */
  async since(firstDay: number): Promise<StoredDay[]> {
    const docs = await this.days.find({ day: mongoose.trusted({ $gte: firstDay }) }).lean<FlagUsageDay[]>();
    return docs.map((d) => ({ key: d.key, day: d.day, count: d.count, lastAt: new Date(d.lastAt).getTime() }));
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

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FLAG_USAGE_DAYS, type FlagUsage, type FlagUsageList } from '@dezky/contracts';
import { Clock } from '../../common/clock';
import { NotFoundError, ServiceUnavailableError } from '../../common/errors/domain-errors';
import { DatabaseState } from '../../common/mongo/database-state';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/actor';
import { DAY_MS, EvaluationCounter, type DayCounts } from '../flags/evaluation-counter';
import { FlagsRepository } from '../flags/flags.repository';
import { WriteRecorder } from '../writes/write-recorder';
import { FlagUsageRepository, type Keep, type UsageAddition } from './flag-usage.repository';
import { staleness } from './staleness';

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * How much each flag is evaluated and which flags are potentially stale. Every process counts
 * its evaluations in memory (EvaluationCounter, on the request path) and adds them to MongoDB
 * here, every FLAG_USAGE_FLUSH_MS and once more at shutdown, never while a request waits.
 */
@Injectable()
export class FlagUsageService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FlagUsageService.name);
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly usage: FlagUsageRepository,
    private readonly counter: EvaluationCounter,
    private readonly flags: FlagsRepository,
    private readonly clock: Clock,
    private readonly database: DatabaseState,
    private readonly writes: WriteRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.flagUsage.flushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Adds what this process counted since the last time to MongoDB. An answer of every flag
   * counts for each flag of the set; counts that cannot be stored (MongoDB down) wait for the
   * next time, so none are lost while the process lives.
   */
  flush(): Promise<void> {
    this.flushing ??= this.store().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async store(): Promise<void> {
    if (!this.database.available) return;
    const drained = this.counter.drain();
    if (drained.length === 0) return;
    try {
      await this.usage.add(drained.flatMap(additions));
    } catch (error) {
      this.counter.restore(drained);
      this.logger.warn(`Evaluation counts kept for later: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Every flag's usage at `now`: the last evaluation, the last FLAG_USAGE_DAYS days, and whether it is potentially stale. */
  async list(now = this.clock.now()): Promise<FlagUsageList> {
    const today = Math.floor(now / DAY_MS);
    const firstDay = today - (FLAG_USAGE_DAYS - 1);
    const { staleDays } = this.config.flagUsage;
    if (!this.database.available) throw new ServiceUnavailableError('Flag usage is stored in the database, which cannot be reached right now; try again shortly');
    // The stored flags, as operators' other reads: when each last changed, however new the change.
    const [flags, stored, keeps] = await Promise.all([this.flags.all(), this.usage.since(Math.min(firstDay, today - staleDays)), this.usage.allKeeps()]);
    // What this process counted but has not stored yet, so its own evaluations show at once.
    const unstored = this.counter.pending().flatMap(additions);
    const byKey = new Map<string, { daily: number[]; lastAt: number }>();
    for (const d of [...stored, ...unstored]) {
      let entry = byKey.get(d.key);
      if (!entry) byKey.set(d.key, (entry = { daily: new Array<number>(FLAG_USAGE_DAYS).fill(0), lastAt: 0 }));
      if (d.day >= firstDay && d.day <= today) entry.daily[d.day - firstDay]! += d.count;
      entry.lastAt = Math.max(entry.lastAt, d.lastAt);
    }
    const keptByKey = new Map(keeps.map((k) => [k.key, k]));
    const items = flags.map((flag): FlagUsage => {
      const seen = byKey.get(flag.key);
      const lastAt = seen && seen.lastAt > 0 ? seen.lastAt : null;
      const kept = keptByKey.get(flag.key);
      return {
        key: flag.key,
        lastEvaluatedAt: lastAt === null ? null : new Date(lastAt).toISOString(),
        daily: seen?.daily ?? new Array<number>(FLAG_USAGE_DAYS).fill(0),
        kept: kept ? { by: kept.by, at: kept.at } : null,
        stale: kept ? null : staleness(flag, lastAt, now, staleDays),
      };
    });
    return { items, staleAfterDays: staleDays, firstDay: isoDay(firstDay) };
  }

  /** Keeps a flag from being reported stale (audited as flag.keep); keeping a kept flag changes nothing. */
  async keep(actor: Actor, key: string): Promise<FlagUsage> {
    await this.requireFlag(key);
    const { keep, created } = await this.usage.keep(key, actor.email, new Date(this.clock.now()));
    if (created) await this.recordKeep(actor, key, null, keep);
    return this.one(key);
  }

  /** Lets a kept flag be reported stale again (audited as flag.unkeep). */
  async unkeep(actor: Actor, key: string): Promise<FlagUsage> {
    await this.requireFlag(key);
    const before = await this.usage.findKeep(key);
    if (before && (await this.usage.unkeep(key))) await this.recordKeep(actor, key, before, null);
    return this.one(key);
  }

  private async one(key: string): Promise<FlagUsage> {
    const item = (await this.list()).items.find((i) => i.key === key);
    if (!item) throw new NotFoundError(`Flag ${key} not found`);
    return item;
  }

  private async requireFlag(key: string): Promise<void> {
    if (!(await this.flags.findByKey(key))) throw new NotFoundError(`Flag ${key} not found`);
  }

  private recordKeep(actor: Actor, key: string, before: Keep | null, after: Keep | null): Promise<void> {
    // Nothing evaluation or authorization reads: no change-log entry.
    const kept = (k: Keep | null) => (k ? { kept: true, by: k.by, at: k.at } : { kept: false });
    return this.writes.recordWrite({ actor, action: after ? 'flag.keep' : 'flag.unkeep', target: { type: 'flag', id: key }, before: kept(before), after: kept(after), changes: [] });
  }
}

/** One process's counts of a day as additions per flag: an answer of every flag counts for each flag of its set. */
function additions(counts: DayCounts): UsageAddition[] {
  const byKey = new Map<string, UsageAddition>();
  const add = (key: string, count: number, lastAt: number) => {
    const entry = byKey.get(key);
    if (entry) {
      entry.count += count;
      entry.lastAt = Math.max(entry.lastAt, lastAt);
    } else {
      byKey.set(key, { key, day: counts.day, count, lastAt });
    }
  };
  for (const set of counts.all.values()) for (const flag of set.flags) add(flag.key, set.count, set.lastAt);
  for (const [key, one] of counts.one) add(key, one.count, one.lastAt);
  return [...byKey.values()];
}

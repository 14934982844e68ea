import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
import { FlagSchedulesRepository } from '../flags/flag-schedules.repository';
import { FlagUsageRepository, type Keep, type UsageTotal } from './flag-usage.repository';
import { staleness } from './staleness';

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Days of counts kept in MongoDB; older ones are pruned. */
const KEPT_DAYS = 90;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * How much each flag is evaluated and which flags are potentially stale. Every process counts
 * its evaluations in memory (EvaluationCounter, on the request path) and, every
 * FLAG_USAGE_FLUSH_MS and once more at shutdown, folds them into its running totals per flag
 * and day and stores the totals that moved, never while a request waits. Totals are stored
 * with $max under the process's own id: a write repeated after an unclear failure counts
 * nothing twice, and totals that could not be stored (MongoDB down) go with the next write.
 */
@Injectable()
export class FlagUsageService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FlagUsageService.name);
  /** This process, as its stored totals name it. */
  private readonly processId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  /** The flushes in order: one at a time. */
  private flushes: Promise<void> = Promise.resolve();
  /** Running totals by `<key>:<day>`, and which moved since they were last stored. */
  private readonly totals = new Map<string, UsageTotal>();
  private readonly moved = new Set<string>();
  private prunedAt = 0;

  constructor(
    private readonly usage: FlagUsageRepository,
    private readonly counter: EvaluationCounter,
    private readonly flags: FlagsRepository,
    private readonly schedules: FlagSchedulesRepository,
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
    // After any flush in progress, one more with everything counted until now.
    await this.flush();
    if (this.moved.size > 0) this.logger.warn(`Evaluation counts of ${this.moved.size} flag-days could not be stored before shutdown: MongoDB cannot be reached`);
  }

  /** Stores what this process counted since the last time (after any flush in progress). Never rejects. */
  flush(): Promise<void> {
    this.flushes = this.flushes.then(() =>
      this.store().catch((error: unknown) => {
        this.logger.warn(`Evaluation counts kept for the next flush: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
    return this.flushes;
  }

  private async store(): Promise<void> {
    this.absorb();
    if (this.moved.size === 0 || !this.database.available) return;
    const writing = [...this.moved].map((id) => ({ id, total: { ...this.totals.get(id)! } }));
    await this.usage.store(this.processId, writing.map((w) => w.total));
    // Stored: what has not moved again since is clean, and old days are let go.
    const today = Math.floor(this.clock.now() / DAY_MS);
    for (const { id, total } of writing) {
      if (this.totals.get(id)?.count === total.count) this.moved.delete(id);
      if (total.day < today - 1 && !this.moved.has(id)) this.totals.delete(id);
    }
    if (this.clock.now() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = this.clock.now();
      await this.usage.pruneBefore(today - KEPT_DAYS);
    }
  }

  /** Folds what the counter holds into the running totals (in memory, at once). */
  private absorb(): void {
    for (const counts of this.counter.drain()) {
      for (const a of additions(counts)) {
        const id = `${a.key}:${a.day}`;
        const total = this.totals.get(id);
        if (total) {
          total.count += a.count;
          total.lastAt = Math.max(total.lastAt, a.lastAt);
        } else {
          this.totals.set(id, { ...a });
        }
        this.moved.add(id);
      }
    }
  }

  /** Every flag's usage at `now`: the last evaluation, the last FLAG_USAGE_DAYS days, and whether it is potentially stale. */
  async list(now = this.clock.now()): Promise<FlagUsageList> {
    const today = Math.floor(now / DAY_MS);
    const firstDay = today - (FLAG_USAGE_DAYS - 1);
    const { staleDays } = this.config.flagUsage;
    if (!this.database.available) throw new ServiceUnavailableError('Flag usage is stored in the database, which cannot be reached right now; try again shortly');
    // The stored flags, as operators' other reads: when each last changed, however new the change.
    const [flags, stored, lastStored, keeps, planned] = await Promise.all([
      this.flags.all(),
      this.usage.since(firstDay),
      this.usage.lastEvaluations(),
      this.usage.allKeeps(),
      this.schedules.pendingKeys(),
    ]);
    // Other processes' stored totals, and this process's own as it holds them now (what it counted
    // a moment ago included).
    this.absorb();
    const days = [...stored.filter((d) => d.process !== this.processId), ...this.totals.values()];
    const byKey = new Map<string, number[]>();
    const lastByKey = new Map(lastStored);
    for (const d of days) {
      let daily = byKey.get(d.key);
      if (!daily) byKey.set(d.key, (daily = new Array<number>(FLAG_USAGE_DAYS).fill(0)));
      if (d.day >= firstDay && d.day <= today) daily[d.day - firstDay]! += d.count;
      lastByKey.set(d.key, Math.max(lastByKey.get(d.key) ?? 0, d.lastAt));
    }
    const keptByKey = new Map(keeps.map((k) => [k.key, k]));
    const items = flags.map((flag): FlagUsage => {
      const lastAt = lastByKey.get(flag.key) || null;
      const kept = keptByKey.get(flag.key);
      return {
        key: flag.key,
        lastEvaluatedAt: lastAt === null ? null : new Date(lastAt).toISOString(),
        daily: byKey.get(flag.key) ?? new Array<number>(FLAG_USAGE_DAYS).fill(0),
        kept: kept ? { by: kept.by, at: kept.at } : null,
        // A flag with a planned ramp still to come is not done with, whatever it looks like now.
        stale: kept || planned.has(flag.key) ? null : staleness(flag, lastAt, now, staleDays),
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
function additions(counts: DayCounts): UsageTotal[] {
  const byKey = new Map<string, UsageTotal>();
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

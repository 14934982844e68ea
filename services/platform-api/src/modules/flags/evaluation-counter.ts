import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';

export const DAY_MS = 86_400_000;

/** The flags an answer of every flag evaluated: the snapshot's flag list, replaced on every flag change. */
export type FlagSet = readonly { readonly key: string }[];

/** Answers that evaluated every flag of one flag set. */
export interface SetCounts {
  flags: FlagSet;
  count: number;
  /** When the last of them was answered (ms since the epoch). */
  lastAt: number;
}

/** The evaluations one process counted on one UTC day (days since 1970-01-01). */
export interface DayCounts {
  day: number;
  /** Answers that evaluated every flag (POST /flags/evaluate, OFREP bulk, its 304s), per flag set. */
  all: Map<FlagSet, SetCounts>;
  /** Answers that evaluated one flag (OFREP single), by key. */
  one: Map<string, { count: number; lastAt: number }>;
}

/**
 * Evaluations counted in memory on the request path, at the cost of a clock read and an
 * increment: an answer of every flag counts once for the flag set it evaluated, not once per
 * flag, and is spread over that set's flags when the counts are stored (see the flag-usage
 * feature, which drains this every few seconds and never on a request's path). A flag created
 * since is not counted for answers given before it existed.
 */
@Injectable()
export class EvaluationCounter {
  private days = new Map<number, DayCounts>();
  private today: DayCounts | undefined;
  /** Per flag, what every drain so far took (the process's running totals, with what is not drained yet). */
  private readonly drained = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** An answer of every flag of `flags`. */
  countAll(flags: FlagSet): void {
    const now = this.clock.now();
    const all = this.countsOf(now).all;
    const set = all.get(flags);
    if (set) {
      set.count++;
      set.lastAt = now;
    } else {
      all.set(flags, { flags, count: 1, lastAt: now });
    }
  }

  /** An answer of one flag. */
  countOne(key: string): void {
    const now = this.clock.now();
    const counts = this.countsOf(now).one;
    const entry = counts.get(key);
    if (entry) {
      entry.count++;
      entry.lastAt = now;
    } else {
      counts.set(key, { count: 1, lastAt: now });
    }
  }

  /** The counts since the last drain, which start again from nothing. */
  drain(): DayCounts[] {
    const drained = [...this.days.values()];
    for (const day of drained) addPerFlag(this.drained, day);
    this.days = new Map();
    this.today = undefined;
    return drained;
  }

  /**
   * Evaluations per flag key since the process started, drained or not (never decreasing): an
   * answer of every flag counts once for each flag of its set. Read at scrape time, never on a
   * request's path.
   */
  totals(): Map<string, number> {
    const totals = new Map(this.drained);
    for (const day of this.days.values()) addPerFlag(totals, day);
    return totals;
  }

  private countsOf(now: number): DayCounts {
    const day = Math.floor(now / DAY_MS);
    if (this.today?.day === day) return this.today;
    return (this.today = this.dayCounts(day));
  }

  private dayCounts(day: number): DayCounts {
    let counts = this.days.get(day);
    if (!counts) this.days.set(day, (counts = { day, all: new Map(), one: new Map() }));
    return counts;
  }
}

function addPerFlag(totals: Map<string, number>, day: DayCounts): void {
  for (const set of day.all.values()) for (const { key } of set.flags) totals.set(key, (totals.get(key) ?? 0) + set.count);
  for (const [key, { count }] of day.one) totals.set(key, (totals.get(key) ?? 0) + count);
}

import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's own gc() (its gc extension), with the options it takes. */
type V8Gc = (options: { type: 'major'; execution: 'async'; flavor: 'last-resort' }) => Promise<void>;

/** The least time between two releases: each is a few full collections. */
export const MIN_RELEASE_INTERVAL_MS = 10_000;
/** A release waits this long after what asked for it, so a burst of reloads pays for one. */
const RELEASE_DELAY_MS = 1_000;

/**
 * V8's gc() without a global `gc` in the API's own context: the flag is on only while one new
 * context is made, which then hands its gc over. undefined where V8 refuses.
 */
function v8Gc(): V8Gc | undefined {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as V8Gc;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as V8Gc) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Gives the operating system back the memory a burst of allocation left behind. A full reload
 * of the read models (at boot, after an outage, after a change that may have been missed) builds
 * every tenant, membership and flag again: at 100,000 tenants a few hundred MiB of short-lived
 * objects. V8 keeps the pages it freed for reuse, so the process's RSS stays at that peak long
 * after the reload is over, and no ordinary collection returns them. A "last resort" collection
 * (V8's memory-reducing full collection, what it runs under memory pressure) does.
 *
 * Asked for after each full reload (ChangeFeed); it runs once a short while later, at most
 * every MIN_RELEASE_INTERVAL_MS, on V8's own task (not on the caller's stack). Evaluation pauses
 * for it as for any full collection: tens of milliseconds, rarely.
 */
@Injectable()
export class HeapRelease implements OnModuleDestroy {
  private readonly logger = new Logger(HeapRelease.name);
  private readonly gc = v8Gc();
  private timer: NodeJS.Timeout | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  /** Releases run so far (for tests and diagnostics). */
  released = 0;

  /** Schedules a release, unless one is scheduled already. */
  request(): void {
    if (!this.gc || this.timer) return;
    const wait = Math.max(RELEASE_DELAY_MS, this.lastAt + MIN_RELEASE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => void this.release(), wait);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async release(): Promise<void> {
    this.timer = undefined;
    this.lastAt = Date.now();
    const before = process.memoryUsage.rss();
    const started = performance.now();
    try {
      await this.gc!({ type: 'major', execution: 'async', flavor: 'last-resort' });
    } catch (error) {
      this.logger.warn(`could not release memory: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.released++;
    const mib = (bytes: number) => Math.round(bytes / 1048576);
    this.logger.log(`released memory after a reload: RSS ${mib(before)} -> ${mib(process.memoryUsage.rss())} MiB in ${Math.round(performance.now() - started)} ms`);
  }
}

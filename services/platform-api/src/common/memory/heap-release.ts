import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/** V8's own gc() (its gc extension), with the options it takes. */
type V8Gc = (options: { type: 'major'; execution: 'async'; flavor: 'last-resort' }) => unknown;

/** The least time between two releases in one process: each is a few full collections. */
export const MIN_RELEASE_INTERVAL_MS = 10_000;
/** A release runs this long after the first request for it (plus up to RELEASE_JITTER_MS)... */
export const RELEASE_DELAY_MS = 1_000;
/** ...so that replicas reloading on the same change do not all pause at the same moment. */
export const RELEASE_JITTER_MS = 1_000;

let gcLookup: { gc: V8Gc | undefined } | undefined;

/**
 * V8's gc(), found once per process: the global one when node runs with --expose-gc, else taken
 * from a fresh vm context made while the flag is on (Node documents changing V8 flags after start
 * as unsupported in general; this one only decides whether new contexts get a `gc` global, and
 * it is turned off again at once). undefined where V8 refuses.
 */
function v8Gc(): V8Gc | undefined {
  if (gcLookup) return gcLookup.gc;
  const global = (globalThis as { gc?: unknown }).gc;
  let gc: unknown = global;
  if (typeof gc !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc');
    } catch {
      gc = undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  gcLookup = { gc: typeof gc === 'function' ? (gc as V8Gc) : undefined };
  return gcLookup.gc;
}

/** When this process last released (ms since the epoch): one budget for every instance in it. */
let lastReleaseAt = Number.NEGATIVE_INFINITY;

/**
 * Gives the operating system back the memory a burst of allocation left behind. A full reload
 * of the read models (at boot, after an outage, after a change that may have been missed) builds
 * every tenant, membership and flag again: at 100,000 tenants a few hundred MiB of short-lived
 * objects. V8 keeps the pages it freed for reuse, so the process's RSS stays at that peak long
 * after the reload is over, and no ordinary collection returns them. A "last resort" collection
 * (V8's memory-reducing full collection, what it runs under memory pressure) does.
 *
 * Asked for after each full reload (ChangeFeed); it runs about a second after the first request
 * (a throttle: the requests that follow meanwhile share it), at most every
 * MIN_RELEASE_INTERVAL_MS in a process, on a V8 task of its own rather than on the caller's
 * stack. It is still a pause of the main thread: about 150 ms at 40,000 tenants and 230 ms at
 * 100,000 on the benchmark's machine, once per full reload. HEAP_RELEASE=off turns it off.
 */
@Injectable()
export class HeapRelease implements OnModuleDestroy {
  private readonly logger = new Logger(HeapRelease.name);
  private readonly gc: V8Gc | undefined;
  private timer: NodeJS.Timeout | undefined;
  private count = 0;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'heapRelease'>) {
    this.gc = config.heapRelease ? v8Gc() : undefined;
    if (config.heapRelease && !this.gc) this.logger.warn('V8 gives no gc(): memory left behind by reloads stays with the process');
  }

  /** Releases run so far by this instance. */
  get released(): number {
    return this.count;
  }

  /** Schedules a release, unless one is scheduled already. */
  request(): void {
    if (!this.gc || this.timer) return;
    const wait = Math.max(RELEASE_DELAY_MS, lastReleaseAt + MIN_RELEASE_INTERVAL_MS - Date.now()) + Math.floor(Math.random() * RELEASE_JITTER_MS);
    this.timer = setTimeout(() => void this.release(), wait);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async release(): Promise<void> {
    this.timer = undefined;
    lastReleaseAt = Date.now();
    const before = process.memoryUsage.rss();
    const started = performance.now();
    const done = this.gc!({ type: 'major', execution: 'async', flavor: 'last-resort' });
    // V8 answers options it does not know with a plain collection, synchronously and without a
    // promise: then nothing was released, and saying so beats a log line that says otherwise.
    if (typeof (done as { then?: unknown } | undefined)?.then !== 'function') {
      this.logger.warn('V8 ran no memory-reducing collection (its gc() took no "last-resort" option)');
      return;
    }
    await done;
    this.count++;
    const mib = (bytes: number) => Math.round(bytes / 1048576);
    this.logger.log(`released memory after a reload: RSS ${mib(before)} -> ${mib(process.memoryUsage.rss())} MiB in ${Math.round(performance.now() - started)} ms`);
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model } from 'mongoose';
import { HeapRelease } from '../../common/memory/heap-release';
import { isDatabaseUnavailable } from '../../common/mongo/database-unavailable';
import { DatabaseState } from '../../common/mongo/database-state';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Change, type ChangeKind } from './change.schema';
import { CHANGES_COUNTER_ID, Revision } from './revision.schema';

export interface ChangeEvent {
  seq: number;
  kind: ChangeKind;
  ref: string;
}

/** A read model kept current from the change log. */
export interface ChangeFollower {
  /** Re-reads what the changes name. Called with each change at least once, in batches. */
  applyChanges(changes: readonly ChangeEvent[]): Promise<void>;
  /** Loads everything again: at boot, after an outage, after a change that may have been missed. */
  reload(): Promise<void>;
}

/** Polling period where the server has no change streams. */
export const POLL_MS = 250;
/** Safety poll while a change stream is open (a stream that stalls silently is caught here). */
const STREAM_SAFETY_POLL_MS = 5000;
/** Rest after an empty read of the change stream. */
const STREAM_IDLE_MS = 50;
/** A number taken but never written (a writer died between the two) is given up after this. */
const HOLE_MS = 5000;
const BATCH = 1000;

export type FeedMode = 'stream' | 'poll';

/** A change waiting to be applied; `writtenAt` (ms) when it came through the change stream. */
interface Queued extends ChangeEvent {
  writtenAt?: number;
}

/**
 * The one path by which a change reaches every read model, in this process and in every other
 * API process on the same database:
 *   1. a write path calls `record()` after its write;
 *   2. `record()` numbers the change (`revisions` counter) and appends it to the `changes` log;
 *   3. this process applies it before `record()` returns, so the next request sees it;
 *   4. other processes see the log entry through a change stream on `changes` (a replica set,
 *      or mongo-java-server with its oplog), or by polling the log where the server has none.
 * Followers re-read what a change names, so an entry applied twice or late does no harm; all
 * applications go through one queue, so a later read can never be overwritten by an older one.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly followers: ChangeFollower[] = [];
  /** Every change up to this number has been applied. */
  private contiguous = 0;
  /** Applied numbers above `contiguous` (there is a gap below them). */
  private readonly seen = new Set<number>();
  private holeSince: number | undefined;
  private currentMode: FeedMode;
  private stream: mongoose.mongo.ChangeStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  /** The read models may have missed something (an outage, a failed application): reload. */
  private dirty = false;
  private unsubscribe: (() => void) | undefined;
  /** When the read models were last known to hold everything MongoDB had (ms since the epoch). */
  private currentAt = Date.now();
  /** Milliseconds from the write of the last change that came through the change stream to its application here. */
  private lastStreamLagMs: number | undefined;

  // The work queue: pending changes and reloads, drained one batch at a time.
  private pending: Queued[] = [];
  private reloadRequested = false;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    @InjectModel(Change.name) private readonly changes: Model<Change>,
    @InjectModel(Revision.name) private readonly revisions: Model<Revision>,
    private readonly database: DatabaseState,
    private readonly heap: HeapRelease,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.currentMode = config.changeStreams ? 'stream' : 'poll';
  }

  /** How other processes' changes arrive here: a change stream, or polling the log. */
  get mode(): FeedMode {
    return this.currentMode;
  }

  /** True while the read models may be behind MongoDB (it is down, or a reload is pending). */
  get behind(): boolean {
    return this.dirty || !this.database.available;
  }

  /** Every change up to this number is applied: the revision the read models serve. */
  get revision(): number {
    return this.contiguous;
  }

  /**
   * When the read models were last known current with MongoDB (ms since the epoch): a batch
   * applied, a read of the log that found nothing more, or an empty read of the open change
   * stream, each while nothing was pending a reload. It stands still while MongoDB is down.
   */
  get lastCurrentAt(): number {
    return this.currentAt;
  }

  /**
   * Milliseconds from the write of the last change another process made (its `at`, the writer's
   * clock) to its application here, for changes that came through the change stream; undefined
   * before the first one, and always when polling.
   */
  get streamLagMs(): number | undefined {
    return this.lastStreamLagMs;
  }

  follow(follower: ChangeFollower): void {
    this.followers.push(follower);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.enqueue([], true);
    this.started = true;
    this.unsubscribe = this.database.onChange((up) => {
      if (up) {
        // What happened meanwhile is unknown (the server may even be a new one): reload.
        this.dirty = true;
        void this.poll();
      } else {
        this.closeStream();
      }
    });
    if (this.currentMode === 'stream') this.openStream();
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.closeStream();
    await this.polling?.catch(() => undefined);
    await this.draining?.catch(() => undefined);
  }

  /**
   * Records changes that were just written, and applies them here before returning. Call it
   * after the write: a follower that reads before the write would miss it.
   */
  async record(changes: readonly { kind: ChangeKind; ref: string }[]): Promise<void> {
    if (changes.length === 0) return;
    const counter = await this.revisions.findOneAndUpdate({ _id: CHANGES_COUNTER_ID }, { $inc: { value: changes.length } }, { upsert: true, new: true }).lean();
    const first = counter!.value - changes.length + 1;
    const at = new Date();
    const entries = changes.map((c, i) => ({ seq: first + i, kind: c.kind, ref: c.ref, at }));
    await this.changes.insertMany(entries, { ordered: true });
    await this.enqueue(entries);
  }

  /** Reads the log once now (for a preview that must reflect every change already made). */
  catchUp(): Promise<void> {
    return this.poll();
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = this.currentMode === 'stream' && this.stream ? STREAM_SAFETY_POLL_MS : POLL_MS;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  /** One read of the log from the last applied number; also reopens a closed stream. */
  private poll(): Promise<void> {
    this.polling ??= this.doPoll().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async doPoll(): Promise<void> {
    if (this.stopped || !this.started || !this.database.available) return;
    try {
      if (this.dirty) {
        this.dirty = false;
        await this.enqueue([], true);
      }
      if (this.currentMode === 'stream' && !this.stream) this.openStream();
      for (;;) {
        const docs = await this.changes
          .find({ seq: mongoose.trusted({ $gt: this.contiguous }) }, { _id: 0, seq: 1, kind: 1, ref: 1 })
          .sort({ seq: 1 })
          .limit(BATCH)
          .lean<ChangeEvent[]>();
        if (docs.length) await this.enqueue(docs);
        if (docs.length < BATCH) break;
      }
      this.settleHoles();
      this.markCurrent();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.logger.warn(`reading the change log failed: ${describe(error)}`);
      this.dirty = true;
    }
  }

  /**
   * Reads the change stream with `tryNext()` in a loop that rests STREAM_IDLE_MS after an empty
   * read. A replica set holds each read open up to maxAwaitTimeMS; mongo-java-server answers at
   * once, and the driver's event mode would then spin a core re-asking.
   */
  private openStream(): void {
    if (this.stream || this.stopped || !this.database.available) return;
    let stream: mongoose.mongo.ChangeStream;
    try {
      stream = this.changes.collection.watch([], { maxAwaitTimeMS: 1000 });
    } catch (error) {
      this.fallBackToPolling(error);
      return;
    }
    this.stream = stream;
    void this.readStream(stream);
    // Changes written while the stream was being set up are read from the log.
    void this.poll();
  }

  private async readStream(stream: mongoose.mongo.ChangeStream): Promise<void> {
    try {
      while (this.stream === stream && !stream.closed) {
        const change = (await stream.tryNext()) as { operationType?: string; fullDocument?: Partial<ChangeEvent> } | null;
        if (!change) {
          this.markCurrent();
          await new Promise((r) => setTimeout(r, STREAM_IDLE_MS));
          continue;
        }
        const doc = change.operationType === 'insert' ? (change.fullDocument as (Partial<ChangeEvent> & { at?: unknown }) | undefined) : undefined;
        if (doc && typeof doc.seq === 'number' && typeof doc.kind === 'string' && typeof doc.ref === 'string') {
          const writtenAt = doc.at instanceof Date ? doc.at.getTime() : undefined;
          this.enqueue([{ seq: doc.seq, kind: doc.kind, ref: doc.ref, writtenAt }]).catch(() => undefined);
        }
      }
    } catch (error) {
      if (this.stream !== stream) return;
      this.closeStream();
      // A server without change streams says so on the first read; a network error is an outage.
      if (!isDatabaseUnavailable(error) && this.database.available) this.fallBackToPolling(error);
    }
  }

  private fallBackToPolling(error: unknown): void {
    if (this.currentMode === 'poll') return;
    this.currentMode = 'poll';
    this.logger.log(`MongoDB offers no change stream here (${describe(error)}); polling the change log every ${POLL_MS} ms`);
  }

  private closeStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    void stream?.close().catch(() => undefined);
  }

  /** Marks a number applied; false when it already was. */
  private markSeen(seq: number): boolean {
    if (seq <= this.contiguous || this.seen.has(seq)) return false;
    this.seen.add(seq);
    while (this.seen.delete(this.contiguous + 1)) this.contiguous++;
    return true;
  }

  /** A gap that outlives HOLE_MS is a number whose entry will never come: skip it, and reload. */
  private settleHoles(): void {
    if (this.seen.size === 0) {
      this.holeSince = undefined;
      return;
    }
    const now = Date.now();
    this.holeSince ??= now;
    if (now - this.holeSince < HOLE_MS) return;
    this.holeSince = undefined;
    this.contiguous = Math.min(...this.seen) - 1;
    while (this.seen.delete(this.contiguous + 1)) this.contiguous++;
    this.dirty = true;
  }

  /** The read models hold everything MongoDB had, unless a reload is pending or the server is down. */
  private markCurrent(): void {
    if (!this.dirty && !this.reloadRequested && this.pending.length === 0 && this.database.available) this.currentAt = Date.now();
  }

  private enqueue(events: readonly Queued[], reload = false): Promise<void> {
    this.pending.push(...events);
    if (reload) this.reloadRequested = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return done;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 || this.reloadRequested || this.waiters.length > 0) {
      const waiters = this.waiters.splice(0);
      const batch = this.pending.splice(0);
      const reload = this.reloadRequested;
      this.reloadRequested = false;
      try {
        if (reload) await this.reloadAll();
        const fresh = batch.filter((e) => this.markSeen(e.seq));
        if (fresh.some((e) => e.kind === 'all')) await this.reloadFollowers();
        else if (fresh.length) for (const f of this.followers) await f.applyChanges(fresh);
        this.streamApplied(fresh);
        this.markCurrent();
        for (const w of waiters) w.resolve();
      } catch (error) {
        // Whatever this batch named may be missing from the read models until the next reload.
        this.dirty = true;
        for (const w of waiters) w.reject(error);
      }
    }
  }

  private streamApplied(fresh: readonly Queued[]): void {
    let writtenAt: number | undefined;
    for (const e of fresh) if (e.writtenAt !== undefined && (writtenAt === undefined || e.writtenAt > writtenAt)) writtenAt = e.writtenAt;
    if (writtenAt !== undefined) this.lastStreamLagMs = Math.max(0, Date.now() - writtenAt);
  }

  private async reloadAll(): Promise<void> {
    // Read the counter first: every change numbered up to it was written before, so the
    // reload that follows sees it.
    const counter = await this.revisions.findById(CHANGES_COUNTER_ID).lean();
    await this.reloadFollowers();
    const upTo = counter?.value ?? 0;
    // A counter below ours is a server that lost its data (a failover to a fresh node).
    if (upTo < this.contiguous) this.seen.clear();
    this.contiguous = upTo;
    for (const seq of this.seen) if (seq <= upTo) this.seen.delete(seq);
    while (this.seen.delete(this.contiguous + 1)) this.contiguous++;
  }

  private async reloadFollowers(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.reload()));
    // The old read models and everything the reload built on the way are garbage now.
    this.heap.request();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

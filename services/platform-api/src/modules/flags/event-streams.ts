import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { FlagsSnapshot, tenantEtag, type SnapshotChange } from './flags-snapshot';

/** Where OFREP clients connect for change notifications (the credential rides in the query). */
export const EVENT_STREAM_PATH = '/ofrep/v1/events';
/** Seconds of client inactivity after which an OFREP client should close its stream. */
export const INACTIVITY_DELAY_SEC = 120;
/** Changes arriving within this window are sent as one event per stream. */
const COALESCE_MS = 50;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** A stream URL stays the same for a window of this length and is valid one more. */
const WINDOW_S = 12 * 3600;
/** Suggested reconnection delay for clients (the SSE `retry` field). */
const RETRY_MS = 5000;

/** Who a stream is for, as its signed URL says. */
export interface StreamGrant {
  userId: string;
  /** The token that asked for it was operator-scoped. */
  operator: boolean;
  tenantId: string;
  /** Unix seconds. */
  exp: number;
}

/** The transport of one open stream (a raw HTTP response). */
export interface StreamSink {
  write(chunk: string): unknown;
  end(): void;
}

interface Connection {
  tenantId: string;
  sink: StreamSink;
}

/**
 * Server-sent change notifications per OFREP 0.3 (ADR-0008): a bulk evaluation answers with
 * `eventStreams`, whose URL carries a signed, expiring grant for one caller and one tenant
 * (browsers' EventSource cannot send an Authorization header). When the snapshot applies a
 * change that alters a tenant's answers (any flag change, or the tenant's plan or partner), the
 * streams of that tenant get one `refetchEvaluation` event carrying the tenant's new ETag.
 * Bursts are coalesced; per connection the hub keeps a sink and a tenant id, nothing more.
 */
@Injectable()
export class EventStreamHub implements OnModuleDestroy {
  private readonly logger = new Logger(EventStreamHub.name);
  private readonly secret: KeyObject;
  /** Request URIs already signed, per caller, tenant and window (signing costs a key lookup and an HMAC). */
  private readonly signed = new LRUCache<string, string>({ max: 20_000 });
  private readonly byTenant = new Map<string, Set<Connection>>();
  private count = 0;
  private eventId = 0;
  private pendingAll = false;
  private readonly pendingTenants = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly snapshot: FlagsSnapshot,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.eventStreamSecret) {
      this.secret = createSecretKey(Buffer.from(config.eventStreamSecret));
    } else {
      this.secret = createSecretKey(randomBytes(32));
      this.logger.warn('EVENT_STREAM_SECRET is not set: event-stream URLs are valid on this process only');
    }
    this.unsubscribe = snapshot.onChange((change) => this.changed(change));
    this.heartbeat = setInterval(() => this.broadcast(': keepalive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const set of this.byTenant.values()) for (const c of set) c.sink.end();
    this.byTenant.clear();
    this.count = 0;
  }

  /** Open streams on this process. */
  get size(): number {
    return this.count;
  }

  /** The request URI of the stream for this caller and tenant: stable within a window, so clients keep their connection. */
  requestUri(grant: Omit<StreamGrant, 'exp'>, nowMs = Date.now()): string {
    const exp = (Math.floor(nowMs / 1000 / WINDOW_S) + 2) * WINDOW_S;
    const id = `${grant.userId}|${grant.operator ? 1 : 0}|${grant.tenantId}|${exp}`;
    let uri = this.signed.get(id);
    if (uri === undefined) {
      const payload = Buffer.from(JSON.stringify({ u: grant.userId, o: grant.operator ? 1 : 0, t: grant.tenantId, e: exp })).toString('base64url');
      this.signed.set(id, (uri = `${EVENT_STREAM_PATH}?stream=${payload}.${this.sign(payload)}`));
    }
    return uri;
  }

  /** The grant a stream credential carries, or undefined when it is forged, malformed or expired. */
  verify(credential: unknown, nowMs = Date.now()): StreamGrant | undefined {
    if (typeof credential !== 'string' || credential.length > 512) return undefined;
    const [payload, signature, extra] = credential.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const p = parsed as { u?: unknown; o?: unknown; t?: unknown; e?: unknown };
    if (typeof p.u !== 'string' || typeof p.t !== 'string' || typeof p.e !== 'number' || p.e * 1000 < nowMs) return undefined;
    return { userId: p.u, operator: p.o === 1, tenantId: p.t, exp: p.e };
  }

  /** Starts the stream on `sink`; the returned function closes it (call it when the client goes). */
  open(tenantId: string, sink: StreamSink): () => void {
    const connection: Connection = { tenantId, sink };
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(connection);
    this.count++;
    sink.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    return () => {
      const current = this.byTenant.get(tenantId);
      if (!current?.delete(connection)) return;
      this.count--;
      if (current.size === 0) this.byTenant.delete(tenantId);
    };
  }

  private changed(change: SnapshotChange): void {
    if (this.count === 0) return;
    if (change.flags) this.pendingAll = true;
    else for (const id of change.tenantIds) if (this.byTenant.has(id)) this.pendingTenants.add(id);
    if (!this.pendingAll && this.pendingTenants.size === 0) return;
    this.flushTimer ??= setTimeout(() => void this.flush(), COALESCE_MS);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const tenants = this.pendingAll ? [...this.byTenant.keys()] : [...this.pendingTenants];
    this.pendingAll = false;
    this.pendingTenants.clear();
    const snap = await this.snapshot.get();
    const lastModified = Math.floor(Date.now() / 1000);
    for (const tenantId of tenants) {
      const set = this.byTenant.get(tenantId);
      const ctx = snap.tenantsById.get(tenantId);
      if (!set || !ctx) continue;
      const data = JSON.stringify({ type: 'refetchEvaluation', etag: tenantEtag(snap, ctx), lastModified });
      const message = `id: ${++this.eventId}\nevent: message\ndata: ${data}\n\n`;
      for (const c of set) c.sink.write(message);
    }
  }

  private broadcast(chunk: string): void {
    for (const set of this.byTenant.values()) for (const c of set) c.sink.write(chunk);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

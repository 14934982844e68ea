import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Flag } from '@dezky/contracts';
import { compileFlags, type CompiledFlags, type EvaluationContext, type RolloutBuckets } from '@dezky/flags-core';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ChangeFeed, type ChangeEvent, type ChangeFollower } from '../changes/change-feed.service';
import { MembershipsService, parseMembershipRef } from '../memberships/memberships.service';
import { TenantDirectory } from '../tenants/tenant-directory';
import { FlagsRepository } from './flags.repository';
import { flagChanged, snapshotBuckets, tenantAdded } from './snapshot-buckets';

export interface Snapshot {
  /** Every flag, by key. */
  flags: Flag[];
  flagsByKey: Map<string, Flag>;
  compiled: CompiledFlags;
  /** Rollout buckets: a slot per tenant, every rollout flag's column computed (see snapshot-buckets.ts). */
  buckets: RolloutBuckets;
  /** Evaluation context of every tenant, by slug. */
  tenants: Map<string, EvaluationContext>;
  /** The same contexts by tenant id (changes name tenants by id). */
  tenantsById: Map<string, EvaluationContext>;
  /** Members per tenant id. A pair missing here may be newer than the snapshot: ask MongoDB. */
  members: Map<string, Set<string>>;
  /** Strong validator of the whole flag set (keys and versions). */
  etag: string;
  builtAt: Date;
}

/** What an applied change touched: every tenant's answers (flags), or some tenants'. */
export interface SnapshotChange {
  flags: boolean;
  tenantIds: string[];
}

type Listener = (change: SnapshotChange) => void;

/**
 * The in-memory picture evaluation reads: every flag, every tenant's attributes and every
 * membership. Built in full at boot (and after an outage), then kept current change by change
 * from the change log: a flag change recompiles the flag set, a tenant or membership change
 * touches that entry only. When MongoDB is unreachable the snapshot keeps serving and is
 * reported stale.
 */
@Injectable()
export class FlagsSnapshot implements ChangeFollower {
  private readonly logger = new Logger(FlagsSnapshot.name);
  private current: Snapshot | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly flags: FlagsRepository,
    private readonly tenants: TenantDirectory,
    private readonly memberships: MembershipsService,
    private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    feed.follow(this);
  }

  /** True while MongoDB is unreachable or a change may not have been applied yet. */
  get isStale(): boolean {
    return this.feed.behind;
  }

  /** The current snapshot; builds it first if the process has none yet. */
  async get(): Promise<Snapshot> {
    if (!this.current) await this.reload();
    return this.current!;
  }

  /** Called after each applied change, with what it touched (push notifications follow this). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async reload(): Promise<void> {
    const [flags, tenants, pairs] = await Promise.all([this.flags.all(), this.tenants.evaluationAttributes(), this.memberships.allPairs()]);
    const members = new Map<string, Set<string>>();
    for (const { userId, tenantId } of pairs) addMember(members, userId, tenantId);
    const byId = new Map<string, EvaluationContext>();
    const bySlug = new Map<string, EvaluationContext>();
    for (const t of tenants) {
      const ctx = this.context(t);
      byId.set(t.id, ctx);
      bySlug.set(t.slug, ctx);
    }
    const first = !this.current;
    const buckets = snapshotBuckets(this.current?.buckets, tenants.map((t) => t.id), flags);
    this.current = { ...flagSet(flags), buckets, tenants: bySlug, tenantsById: byId, members, builtAt: new Date() };
    if (!first) this.emit({ flags: true, tenantIds: [] });
  }

  async applyChanges(changes: readonly ChangeEvent[]): Promise<void> {
    if (!this.current) return this.reload();
    const flagKeys = new Set<string>();
    const tenantIds = new Set<string>();
    const pairs = new Map<string, { userId: string; tenantId: string }>();
    for (const c of changes) {
      if (c.kind === 'flag') flagKeys.add(c.ref);
      else if (c.kind === 'tenant') tenantIds.add(c.ref);
      else if (c.kind === 'membership') {
        const pair = parseMembershipRef(c.ref);
        if (pair) pairs.set(c.ref, pair);
      }
    }
    if (flagKeys.size === 0 && tenantIds.size === 0 && pairs.size === 0) return;
    // Read everything first, then apply in one synchronous step: evaluations never see half.
    const [flags, tenants, memberships] = await Promise.all([
      flagKeys.size ? this.flags.findByKeys([...flagKeys]) : undefined,
      tenantIds.size ? this.tenants.evaluationAttributes([...tenantIds]) : undefined,
      pairs.size ? this.memberships.existingPairs([...pairs.values()]) : undefined,
    ]);
    const snap = this.current;
    if (flags) {
      const byKey = new Map(snap.flagsByKey);
      for (const key of flagKeys) byKey.delete(key);
      for (const f of flags) byKey.set(f.key, f);
      // A rollout's column is computed before the new set serves.
      for (const key of flagKeys) flagChanged(snap.buckets, key, byKey.get(key));
      Object.assign(snap, flagSet([...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))));
    }
    for (const t of tenants ?? []) {
      const before = snap.tenantsById.get(t.id);
      if (!before) tenantAdded(snap.buckets, t.id);
      else if (before.tenantSlug !== t.slug) snap.tenants.delete(before.tenantSlug);
      const ctx = this.context(t);
      snap.tenantsById.set(t.id, ctx);
      snap.tenants.set(t.slug, ctx);
    }
    if (memberships) {
      const existing = new Set(memberships.map((p) => `${p.userId}:${p.tenantId}`));
      for (const [ref, pair] of pairs) {
        if (existing.has(ref)) addMember(snap.members, pair.userId, pair.tenantId);
        else snap.members.get(pair.tenantId)?.delete(pair.userId);
      }
    }
    const touched = [...tenantIds, ...[...pairs.values()].map((p) => p.tenantId)];
    this.emit({ flags: flags !== undefined, tenantIds: [...new Set(touched)] });
  }

  private context(t: { id: string; slug: string; plan: string; partnerSlug: string | null }): EvaluationContext {
    return { tenantId: t.id, tenantSlug: t.slug, plan: t.plan, partnerSlug: t.partnerSlug, environment: this.config.appEnv };
  }

  private emit(change: SnapshotChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn(`a snapshot listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function addMember(members: Map<string, Set<string>>, userId: string, tenantId: string): void {
  let set = members.get(tenantId);
  if (!set) members.set(tenantId, (set = new Set()));
  set.add(userId);
}

function flagSet(flags: Flag[]): Pick<Snapshot, 'flags' | 'flagsByKey' | 'compiled' | 'etag'> {
  return { flags, flagsByKey: new Map(flags.map((f) => [f.key, f])), compiled: compileFlags(flags), etag: flagSetEtag(flags) };
}

/** Validator of the whole flag set, from each flag's entity tag (so never from a version alone). */
export function flagSetEtag(flags: Pick<Flag, 'key' | 'etag'>[]): string {
  const h = createHash('sha256');
  for (const f of flags) h.update(`${f.key}=${f.etag};`);
  return `"${h.digest('base64url').slice(0, 27)}"`;
}

/**
 * Validator of one tenant's answers: the flag set and the tenant's attributes. The same in
 * every process (derived from content, not from a process's history), so a cached answer
 * stays valid across API replicas.
 */
export function tenantEtag(snap: Pick<Snapshot, 'etag'>, ctx: EvaluationContext): string {
  const h = createHash('sha256').update(`${snap.etag}|${ctx.tenantId}|${ctx.tenantSlug}|${ctx.plan}|${ctx.partnerSlug ?? ''}|${ctx.environment}`);
  return `"${h.digest('base64url').slice(0, 27)}"`;
}

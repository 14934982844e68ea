import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Flag } from '@dezky/contracts';
import { compileFlags, type CompiledFlags, type EvaluationContext, type RolloutBuckets } from '@dezky/flags-core';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MembershipsService } from '../memberships/memberships.service';
import { RevisionsService } from '../revisions/revisions.service';
import { TenantsService } from '../tenants/tenants.service';
import { FlagsRepository } from './flags.repository';
import { snapshotBuckets } from './snapshot-buckets';

export interface Snapshot {
  revision: number;
  flags: Flag[];
  flagsByKey: Map<string, Flag>;
  compiled: CompiledFlags;
  /** Rollout buckets: a slot per tenant, every rollout flag's column computed (see snapshot-buckets.ts). */
  buckets: RolloutBuckets;
  /** Evaluation context of every tenant, by slug. */
  tenants: Map<string, EvaluationContext>;
  /** Members per tenant id. A pair missing here may be newer than the snapshot: ask MongoDB. */
  members: Map<string, Set<string>>;
  /** Strong validator of the whole flag set (keys and versions). */
  etag: string;
  builtAt: Date;
}

const POLL_MS = 1000;

/**
 * The in-memory picture evaluation reads: every flag and every tenant's attributes. Rebuilt
 * after each local change and whenever the revision counter in MongoDB moves (polled every
 * second), so API processes sharing a database converge within about a second. When MongoDB
 * is unreachable the last snapshot keeps serving and is reported stale.
 */
@Injectable()
export class FlagsSnapshot implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FlagsSnapshot.name);
  private current: Snapshot | undefined;
  private stale = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly flags: FlagsRepository,
    private readonly tenants: TenantsService,
    private readonly memberships: MembershipsService,
    private readonly revisions: RevisionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh(true);
    this.unsubscribe = this.revisions.onBump(() => void this.refresh(true).catch(() => undefined));
    this.timer = setInterval(() => void this.refresh(false).catch(() => undefined), POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
  }

  get environment(): string {
    return this.config.appEnv;
  }

  /** True while the last refresh could not reach MongoDB. */
  get isStale(): boolean {
    return this.stale;
  }

  /** The current snapshot; builds it first if the process has none yet. */
  async get(): Promise<Snapshot> {
    if (!this.current) await this.refresh(true);
    if (!this.current) throw new Error('flags snapshot unavailable');
    return this.current;
  }

  /**
   * Checks the revision counter and rebuilds when it moved (or when `force`). A call made while
   * a run is going shares it; forced calls made meanwhile share ONE follow-up run, so a burst of
   * writes costs two rebuilds, not one per write.
   */
  refresh(force: boolean): Promise<void> {
    if (!this.running) {
      this.running = this.doRefresh(force).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!force) return this.running;
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh(true);
      });
    return this.queued;
  }

  private async doRefresh(force: boolean): Promise<void> {
    try {
      const revision = await this.revisions.current();
      if (!force && this.current && this.current.revision === revision) {
        this.stale = false;
        return;
      }
      const [flags, tenants, pairs] = await Promise.all([this.flags.all(), this.tenants.evaluationAttributes(), this.memberships.allPairs()]);
      const members = new Map<string, Set<string>>();
      for (const { userId, tenantId } of pairs) {
        let set = members.get(tenantId);
        if (!set) members.set(tenantId, (set = new Set()));
        set.add(userId);
      }
      const environment = this.config.appEnv;
      this.current = {
        revision,
        flags,
        flagsByKey: new Map(flags.map((f) => [f.key, f])),
        compiled: compileFlags(flags),
        buckets: snapshotBuckets(this.current?.buckets, tenants.map((t) => t.id), flags),
        tenants: new Map(tenants.map((t) => [t.slug, { tenantId: t.id, tenantSlug: t.slug, plan: t.plan, partnerSlug: t.partnerSlug, environment }])),
        members,
        etag: flagSetEtag(flags),
        builtAt: new Date(),
      };
      this.stale = false;
    } catch (error) {
      if (!this.stale) this.logger.warn(`flags snapshot could not refresh; serving the last one: ${error instanceof Error ? error.message : String(error)}`);
      this.stale = true;
      throw error;
    }
  }
}

export function flagSetEtag(flags: Pick<Flag, 'key' | 'version'>[]): string {
  const h = createHash('sha256');
  for (const f of flags) h.update(`${f.key}@${f.version};`);
  return `"${h.digest('base64url').slice(0, 27)}"`;
}

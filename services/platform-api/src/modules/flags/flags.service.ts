import { Inject, Injectable } from '@nestjs/common';
import {
  ENVIRONMENTS,
  FLAG_SCOPE_AXES,
  IMPACT_PAGE_LIMIT,
  PLANS,
  type Flag,
  type FlagApproval,
  type FlagDraft,
  type FlagExplanation,
  type FlagScopeAxis,
  type FlagImpact,
  type FlagScope,
  type ImpactPage,
  type TenantChangeImpact,
  type TenantFlag,
} from '@dezky/contracts';
import { evaluateAllCompiledJson, evaluateFlagForEach, explain, type EvaluationContext, type FlagDefinition } from '@dezky/flags-core';
import { BadRequestError, ConflictError, DomainError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, ServiceUnavailableError } from '../../common/errors/domain-errors';
import { isOperator, type Actor } from '../auth/actor';
import { MembershipsService } from '../memberships/memberships.service';
import { PartnerDirectory } from '../partner-directory/partner-directory';
import { ChangeFeed } from '../changes/change-feed.service';
import { DatabaseState } from '../../common/mongo/database-state';
import { TenantDirectory } from '../tenants/tenant-directory';
import { FlagsRepository } from './flags.repository';
import { ifMatchAllows, type IfMatch } from './flag-etag';
import { flagSetEtag, FlagsSnapshot, type Snapshot } from './flags-snapshot';
import { sortedPage } from './impact-page';
import { WriteRecorder } from '../writes/write-recorder';
import { PlatformAdmins } from '../users/platform-admins';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/**
 * A draft as clients send it; scope values are checked against the data before use. `protected`
 * comes from POST /flags/:key/protect (true) or an approved change request (false) only.
 */
export type DraftInput = Omit<FlagDraft, 'scope'> & { scope?: Partial<Record<FlagScopeAxis, string[]>>; protected?: boolean };

/** What a flag holds that a change can set. */
export type FlagContents = Pick<Flag, 'key' | 'description' | 'state' | 'pct' | 'scope'> & { protected?: boolean };

/** The audit actions of a change to a flag's contents. */
type FlagChangeAction = 'flag.update' | 'flag.revert' | 'flag.kill' | 'flag.protect' | 'flag.change_request_approve' | 'flag.schedule_step';

/** Where a change of a protected flag goes instead: the message of the 409 that names it. */
export function needsApproval(key: string): string {
  return `Flag ${key} is protected: its changes need another platform administrator's approval. Open a change request with POST /flags/${key}/change-requests (the kill switch, POST /flags/${key}/kill, still applies at once)`;
}

/** Fields whose changes are recorded in a flag's history, scope per axis. */
type Changes = Record<string, { from: unknown; to: unknown }>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export interface Evaluation {
  /** Every flag's value, as the JSON object `EvaluatedFlags` is sent as. */
  json: string;
  stale: boolean;
  /** The flags evaluated (the snapshot's flag list). */
  flags: readonly Flag[];
}

@Injectable()
export class FlagsService {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly snapshot: FlagsSnapshot,
    private readonly tenants: TenantDirectory,
    private readonly partners: PartnerDirectory,
    private readonly memberships: MembershipsService,
    private readonly changes: ChangeFeed,
    private readonly writes: WriteRecorder,
    private readonly database: DatabaseState,
    private readonly admins: PlatformAdmins,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Approvals a change request of a protected flag needs, from administrators other than its author. */
  get approvalsRequired(): number {
    return this.config.flagChangeApprovals;
  }

  async list(): Promise<{ items: Flag[]; etag: string }> {
    const snap = await this.snapshot.get();
    if (this.snapshot.isStale) return { items: snap.flags, etag: snap.etag };
    // Operators read the stored flags (with their full history) and the set's validator.
    const items = await this.flags.all();
    return { items, etag: flagSetEtag(items) };
  }

  async get(key: string): Promise<Flag> {
    const flag = await this.flags.findByKey(key);
    if (!flag) throw new NotFoundError(`Flag ${key} not found`);
    return flag;
  }

  async create(actor: Actor, key: string, description: string): Promise<Flag> {
    if (await this.flags.findByKey(key)) throw new ConflictError(`A flag with key ${key} already exists`);
    const flag = await this.flags.create(key, description, { at: new Date(), actor: actor.email, changes: { created: { from: null, to: key } } });
    await this.writes.recordWrite({ actor, action: 'flag.create', target: { type: 'flag', id: flag.key }, before: null, after: withoutHistory(flag) });
    return flag;
  }

  /**
   * Applies a draft. With a condition (If-Match) naming an entity tag the flag no longer has, it
   * is refused with 412 and nothing changes; without one the write applies to whatever is
   * current, retrying when a concurrent writer changed the flag between the read and the
   * conditional update.
   */
  update(actor: Actor, key: string, draft: DraftInput, condition: IfMatch | undefined): Promise<Flag> {
    return this.apply(actor, key, draft, condition, 'flag.update');
  }

  /**
   * The flag as it was at `version`, rebuilt from the current flag by undoing the newer history
   * entries (entry i made version `current.version - i`). Only versions whose newer entries are
   * all still kept can be rebuilt.
   */
  async atVersion(key: string, version: number): Promise<FlagVersion> {
    return stateAt(await this.get(key), version);
  }

  /**
   * A new version whose contents equal those of `version`, applied like any change, under the
   * If-Match the caller previewed it with (required), and audited as `flag.revert`.
   */
  async revert(actor: Actor, key: string, version: number, condition: IfMatch | undefined): Promise<Flag> {
    const current = await this.get(key);
    // A revert is a change like any other: on a protected flag it needs approval too.
    if (current.protected) throw new ConflictError(needsApproval(key));
    if (!condition || condition === '*') throw new PreconditionRequiredError(`Reverting ${key} needs If-Match with the ETag of the flag as you previewed the revert`);
    if (!ifMatchAllows(condition, current.etag)) throw stale(current);
    const target = stateAt(current, version);
    const draft: DraftInput = { description: target.description, state: target.state, pct: target.pct, scope: target.scope };
    if (Object.keys(diff(current, applyDraft(current, draft))).length === 0) {
      throw new ConflictError(`Flag ${key} already equals version ${version}: there is nothing to revert`);
    }
    return this.apply(actor, key, draft, condition, 'flag.revert', { revertedTo: version });
  }

  /**
   * The kill switch: off and 0% for every tenant, applied to whatever the flag is now (the
   * incident path never stops at a conflict), audited as `flag.kill`. Its scope is kept, so an
   * undo can restore the flag as it was. A flag already off at 0% is answered as it is (no new
   * version), and the press is still audited, so the flag's plan is cancelled all the same.
   */
  kill(actor: Actor, key: string): Promise<Flag> {
    return this.apply(actor, key, { state: 'off', pct: 0 }, '*', 'flag.kill');
  }

  /**
   * One step of a planned ramp, applied like any change but only to the flag at `etag` (the
   * version the plan expects: 412 when someone changed it since), audited as `flag.schedule_step`.
   */
  applyScheduledStep(actor: Actor, key: string, draft: Pick<DraftInput, 'state' | 'pct'>, etag: string, step: number): Promise<Flag> {
    return this.apply(actor, key, draft, [etag], 'flag.schedule_step', { scheduleStep: step });
  }

  /**
   * Marks the flag protected: from then on its changes, un-protecting included, need another
   * administrator's approval. Refused while nobody could approve: fewer administrators who can
   * reach operator routes than the author plus the approvals a change request needs.
   */
  async protect(actor: Actor, key: string, condition: IfMatch | undefined): Promise<Flag> {
    const current = await this.get(key);
    if (current.protected) {
      if (condition && !ifMatchAllows(condition, current.etag)) throw stale(current);
      return current;
    }
    const admins = await this.admins.operatorAdminCount();
    const needed = this.approvalsRequired + 1;
    if (admins < needed) {
      throw new ConflictError(
        `Flag ${key} cannot be protected: nobody could approve its changes. A change request needs ${this.approvalsRequired} platform administrator${this.approvalsRequired === 1 ? '' : 's'} besides its author, and there ${admins === 1 ? 'is' : 'are'} ${admins}`,
      );
    }
    return this.apply(actor, key, { protected: true }, condition, 'flag.protect');
  }

  /**
   * Applies an approved change request's draft under the ETag it was drafted against (a flag
   * changed since is 412 and nothing changes), audited as `flag.change_request_approve` with the
   * flag before and after and the request's id.
   */
  applyApproved(actor: Actor, key: string, draft: DraftInput, draftedEtag: string, request: { id: string; author: string }): Promise<Flag> {
    return this.apply(actor, key, draft, [draftedEtag], 'flag.change_request_approve', { changeRequestId: request.id }, { kind: 'change-request', changeRequestId: request.id, author: request.author });
  }

  /** The draft's changes against the flag's current contents, after checking its scope values (400 naming unknown ones). */
  async changesOf(flag: Flag, draft: DraftInput): Promise<Changes> {
    await this.validateScope(draft.scope);
    return diff(flag, applyDraft(flag, draft));
  }

  private async apply(
    actor: Actor,
    key: string,
    draft: DraftInput,
    condition: IfMatch | undefined,
    action: FlagChangeAction,
    meta?: Record<string, unknown>,
    approval?: FlagApproval,
  ): Promise<Flag> {
    await this.validateScope(draft.scope);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(key);
      // A protected flag changes through approved change requests; the kill switch never waits.
      if (current.protected && (action === 'flag.update' || action === 'flag.revert' || action === 'flag.schedule_step')) throw new ConflictError(needsApproval(key));
      if (condition && !ifMatchAllows(condition, current.etag)) throw stale(current);
      const next = applyDraft(current, draft);
      const changes = diff(current, next);
      if (Object.keys(changes).length === 0) {
        // A kill switch or a planned step that finds the flag as it would leave it is still
        // recorded: it happened (and a kill still cancels the flag's plan), with no new version.
        if (action === 'flag.kill' || action === 'flag.schedule_step') {
          const unchanged = { ...withoutHistory(current), ...meta };
          await this.writes.recordWrite({ actor, action, target: { type: 'flag', id: key }, before: unchanged, after: { ...unchanged, unchanged: true }, changes: [] });
        }
        return current;
      }
      const bypassed = current.protected && action === 'flag.kill';
      const how: FlagApproval | undefined = approval ?? (bypassed ? { kind: 'bypassed', via: 'kill' } : undefined);
      const updated = await this.flags.updateIfUnchanged(
        current,
        { description: next.description, state: next.state, pct: next.pct, scope: next.scope, protected: next.protected === true },
        { at: new Date(), actor: actor.email, changes, ...(how ? { approval: how } : {}) },
      );
      if (updated) {
        const noted = bypassed ? { ...meta, bypassedApproval: true } : meta;
        await this.writes.recordWrite({ actor, action, target: { type: 'flag', id: key }, before: { ...withoutHistory(current), ...meta }, after: { ...withoutHistory(updated), ...noted } });
        return updated;
      }
      // `*` holds for whatever is current: try again on the flag as it is now.
      if (condition && condition !== '*') throw stale(await this.get(key));
    }
    throw new ServiceUnavailableError(`Flag ${key} is changing too fast to apply this change; try again`);
  }

  async remove(actor: Actor, key: string, condition: IfMatch | undefined): Promise<void> {
    const current = await this.get(key);
    if (condition && !ifMatchAllows(condition, current.etag)) throw stale(current);
    if (current.protected) throw new ConflictError(`Flag ${key} is protected: un-protect it through an approved change request (POST /flags/${key}/change-requests with { "protected": false }) before deleting it`);
    const conditional = condition !== undefined && condition !== '*';
    if (!(await this.flags.delete(key, conditional ? current.etag : undefined))) {
      if (conditional) throw stale(await this.get(key));
      throw new NotFoundError(`Flag ${key} not found`);
    }
    await this.writes.recordWrite({ actor, action: 'flag.delete', target: { type: 'flag', id: key }, before: withoutHistory(current), after: null });
  }

  /**
   * Every flag's value for a tenant, from the in-memory snapshot (never MongoDB per request).
   * Members of the tenant and operators only; anyone else gets the 404 of a missing tenant.
   */
  async evaluate(actor: Actor, tenantSlug: string): Promise<Evaluation> {
    const snap = await this.snapshot.get();
    const ctx = await this.authorizedContext(actor, snap, tenantSlug);
    return { json: evaluateAllCompiledJson(snap.compiled, ctx, snap.buckets), stale: this.snapshot.isStale, flags: snap.flags };
  }

  /** The tenant's evaluation context if the actor may see the tenant, else the 404 of a missing one. */
  async authorizedContext(actor: Actor, snap: Snapshot, tenantSlug: string): Promise<EvaluationContext> {
    const ctx = snap.tenants.get(tenantSlug);
    if (!ctx) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    if (isOperator(actor) || snap.members.get(ctx.tenantId)?.has(actor.userId)) return ctx;
    // Not in the snapshot: the membership may be younger than it (another process created the
    // tenant a moment ago), so MongoDB has the last word; while it is down, the snapshot has.
    if (!this.database.available || !(await this.memberships.roleIn(actor.userId, ctx.tenantId))) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    return ctx;
  }

  /** Every flag as the tenant gets it, with why, by key; from the snapshot. */
  async forTenant(tenantSlug: string): Promise<{ items: TenantFlag[]; stale: boolean }> {
    const snap = await this.snapshot.get();
    const ctx = snap.tenants.get(tenantSlug);
    if (!ctx) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    const items = snap.flags.map((flag): TenantFlag => {
      const explanation = explain(flag, ctx, snap.buckets) as FlagExplanation;
      return { key: flag.key, description: flag.description, state: flag.state, pct: flag.pct, value: explanation.value, explanation };
    });
    return { items, stale: this.snapshot.isStale };
  }

  /**
   * Which flags would flip for the tenant if its plan or partner changed as given, with the
   * reasons before and after, from the evaluator that serves it. Nothing is changed.
   */
  async tenantChangeImpact(tenantSlug: string, change: { plan?: string; partnerId?: string | null }): Promise<TenantChangeImpact> {
    await this.changes.catchUp();
    const snap = await this.snapshot.get();
    const ctx = snap.tenants.get(tenantSlug);
    if (!ctx) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    let partnerSlug = ctx.partnerSlug;
    if (change.partnerId === null) partnerSlug = null;
    else if (change.partnerId !== undefined) {
      const [partner] = await this.partners.findByIds([change.partnerId]);
      if (!partner) throw new BadRequestError(`partnerId ${change.partnerId} names no partner`);
      partnerSlug = partner.slug;
    }
    const next: EvaluationContext = { ...ctx, plan: change.plan ?? ctx.plan, partnerSlug };
    const impact: TenantChangeImpact = { tenantSlug, gained: [], lost: [], unchanged: 0 };
    for (const flag of snap.flags) {
      const before = explain(flag, ctx, snap.buckets) as FlagExplanation;
      const after = explain(flag, next, snap.buckets) as FlagExplanation;
      if (before.value === after.value) impact.unchanged++;
      else (after.value ? impact.gained : impact.lost).push({ key: flag.key, description: flag.description, before, after });
    }
    return impact;
  }

  async snapshotNow(): Promise<Snapshot> {
    return this.snapshot.get();
  }

  get isStale(): boolean {
    return this.snapshot.isStale;
  }

  async explain(key: string, tenantSlug: string): Promise<FlagExplanation & { context: EvaluationContext }> {
    const snap = await this.snapshot.get();
    const flag = snap.flagsByKey.get(key);
    if (!flag) throw new NotFoundError(`Flag ${key} not found`);
    const ctx = snap.tenants.get(tenantSlug);
    if (!ctx) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    return { ...(explain(flag, ctx, snap.buckets) as FlagExplanation), context: ctx };
  }

  /**
   * Exactly who gains and loses the flag under a draft, over every tenant, with the evaluator
   * that serves evaluations. The snapshot is brought up to date first so the preview is exact.
   * The counts cover everyone; the slug lists are the requested page of each sorted list.
   */
  async impact(key: string, draft: DraftInput, page: ImpactPage = { offset: 0, limit: IMPACT_PAGE_LIMIT }): Promise<FlagImpact> {
    await this.validateScope(draft.scope);
    await this.changes.catchUp();
    const snap = await this.snapshot.get();
    const current = snap.flagsByKey.get(key);
    if (!current) throw new NotFoundError(`Flag ${key} not found`);
    return compareOver(snap, current, applyDraft(current, draft), page);
  }

  /**
   * The impact of each draft in turn, cumulatively: draft i applied on top of drafts 0..i-1 and
   * compared with them (the first with the flag as it is now), over every tenant, exactly.
   */
  async impactSeries(key: string, drafts: readonly DraftInput[], page: ImpactPage = { offset: 0, limit: IMPACT_PAGE_LIMIT }): Promise<Array<FlagImpact & { state: Flag['state']; pct: number }>> {
    await this.changes.catchUp();
    const snap = await this.snapshot.get();
    const current = snap.flagsByKey.get(key);
    if (!current) throw new NotFoundError(`Flag ${key} not found`);
    const series: Array<FlagImpact & { state: Flag['state']; pct: number }> = [];
    let before: Parameters<typeof applyDraft>[0] = current;
    for (const draft of drafts) {
      const next = applyDraft(before, draft);
      series.push({ ...compareOver(snap, before, next, page), state: next.state, pct: next.pct });
      before = next;
    }
    return series;
  }

  /** Unknown plans, environments, tenant or partner slugs in a scope: 400 naming each. */
  private async validateScope(scope: DraftInput['scope']): Promise<void> {
    if (!scope) return;
    const problems: string[] = [];
    const unknownPlans = (scope.plans ?? []).filter((p) => !(PLANS as readonly string[]).includes(p));
    if (unknownPlans.length) problems.push(`unknown plans: ${unknownPlans.join(', ')} (plans are ${PLANS.join(', ')})`);
    const unknownEnvs = (scope.environments ?? []).filter((e) => !(ENVIRONMENTS as readonly string[]).includes(e));
    if (unknownEnvs.length) problems.push(`unknown environments: ${unknownEnvs.join(', ')} (environments are ${ENVIRONMENTS.join(', ')})`);
    const slugs = [...new Set(scope.tenantSlugs ?? [])];
    if (slugs.length) {
      const found = new Set(await this.tenants.existingSlugs(slugs));
      const missing = slugs.filter((s) => !found.has(s));
      if (missing.length) problems.push(`unknown tenant slugs: ${missing.join(', ')}`);
    }
    const partnerSlugs = [...new Set(scope.partnerSlugs ?? [])];
    if (partnerSlugs.length) {
      const found = new Set((await this.partners.findBySlugs(partnerSlugs)).map((p) => p.slug));
      const missing = partnerSlugs.filter((s) => !found.has(s));
      if (missing.length) problems.push(`unknown partner slugs: ${missing.join(', ')}`);
    }
    if (problems.length) throw new BadRequestError(`Invalid scope: ${problems.join('; ')}`);
  }
}

function stale(current: Pick<Flag, 'key' | 'version'>): DomainError {
  return new PreconditionFailedError(
    `Flag ${current.key} was changed by someone else since you read it: it is now at version ${current.version}. Reload it and apply your change again.`,
  );
}

/** A flag's contents at one version. */
export type FlagVersion = Pick<Flag, 'key' | 'version' | 'description' | 'state' | 'pct' | 'scope'>;

/** The flag's contents at `version`: the current ones with the newer history entries undone. */
export function stateAt(flag: Flag, version: number): FlagVersion {
  const newer = flag.version - version;
  if (!Number.isInteger(version) || version < 1 || newer < 0) throw new NotFoundError(`Flag ${flag.key} has no version ${version}: it is at version ${flag.version}`);
  if (newer >= flag.history.length) {
    throw new NotFoundError(`Version ${version} of flag ${flag.key} is older than its kept history (the ${flag.history.length} newest changes, back to version ${flag.version - flag.history.length + 1})`);
  }
  const state: Record<string, unknown> = { description: flag.description, state: flag.state, pct: flag.pct };
  const scope = Object.fromEntries(FLAG_SCOPE_AXES.map((axis) => [axis, [...flag.scope[axis]]])) as unknown as FlagScope;
  for (const entry of flag.history.slice(0, newer)) {
    for (const [field, change] of Object.entries(entry.changes)) {
      if (field.startsWith('scope.')) {
        const axis = field.slice('scope.'.length) as FlagScopeAxis;
        if ((FLAG_SCOPE_AXES as readonly string[]).includes(axis) && Array.isArray(change.from)) (scope as unknown as Record<string, string[]>)[axis] = [...(change.from as string[])];
      } else if (field in state) {
        state[field] = change.from;
      }
    }
  }
  return { key: flag.key, version, description: state.description as string, state: state.state as Flag['state'], pct: state.pct as number, scope };
}

function withoutHistory(flag: Flag): Omit<Flag, 'history'> {
  const { history: _history, ...rest } = flag;
  return rest;
}

/** A draft applied to a flag: each given scope axis replaces that axis, omitted ones are kept. */
export function applyDraft(flag: FlagContents, draft: DraftInput): FlagContents {
  const scope = { ...flag.scope } as FlagScope;
  for (const axis of FLAG_SCOPE_AXES) {
    const given = draft.scope?.[axis];
    if (given !== undefined) (scope as unknown as Record<string, string[]>)[axis] = [...new Set(given)];
  }
  return {
    key: flag.key,
    description: draft.description ?? flag.description,
    state: draft.state ?? flag.state,
    pct: draft.pct ?? flag.pct,
    scope,
    ...(draft.protected !== undefined || flag.protected !== undefined ? { protected: draft.protected ?? flag.protected } : {}),
  };
}

/** The fields that differ, as `{ field: { from, to } }`; scope per axis (`scope.plans`). */
export function diff(a: Omit<FlagContents, 'key'>, b: Omit<FlagContents, 'key'>): Changes {
  const changes: Changes = {};
  if ((a.protected ?? false) !== (b.protected ?? false)) changes.protected = { from: a.protected ?? false, to: b.protected ?? false };
  if (a.description !== b.description) changes.description = { from: a.description, to: b.description };
  if (a.state !== b.state) changes.state = { from: a.state, to: b.state };
  if (a.pct !== b.pct) changes.pct = { from: a.pct, to: b.pct };
  for (const axis of FLAG_SCOPE_AXES) {
    if (!sameList(a.scope[axis], b.scope[axis])) changes[`scope.${axis}`] = { from: [...a.scope[axis]], to: [...b.scope[axis]] };
  }
  return changes;
}

/** Who has the flag under `was` and under `will`, over every tenant of the snapshot, exactly. */
function compareOver(snap: Snapshot, was: FlagDefinition, will: FlagDefinition, page: ImpactPage): FlagImpact {
  const buckets = snap.buckets;
  // A draft can make a rollout of a flag whose buckets were never needed (an `off` flag): its
  // column is computed here in one loop and kept, for the next preview and for evaluation.
  if (was.state === 'rollout' || will.state === 'rollout') buckets.precompute(was.key);
  // One flag over every tenant: compiled once (scope lists as sets, so a 500-slug allowlist
  // costs no linear scan per tenant), each tenant's bucket read from the snapshot's store.
  const tenants = [...snap.tenants.values()];
  const before = evaluateFlagForEach(was, tenants, buckets);
  const after = evaluateFlagForEach(will, tenants, buckets);
  let countBefore = 0;
  let countAfter = 0;
  const gained: string[] = [];
  const lost: string[] = [];
  for (let i = 0; i < tenants.length; i++) {
    const now = before[i]!;
    const then = after[i]!;
    countBefore += now;
    countAfter += then;
    if (then > now) gained.push(tenants[i]!.tenantSlug);
    else if (now > then) lost.push(tenants[i]!.tenantSlug);
  }
  return {
    total: tenants.length,
    before: countBefore,
    after: countAfter,
    gainedCount: gained.length,
    lostCount: lost.length,
    gained: page.list === 'lost' ? [] : sortedPage(gained, page.offset, page.limit),
    lost: page.list === 'gained' ? [] : sortedPage(lost, page.offset, page.limit),
  };
}

import { Injectable } from '@nestjs/common';
import { FLAG_SCOPE_AXES, type ChangeRequest, type ChangeRequestDraft, type ChangeRequestReview, type ChangeRequestStatus, type Flag } from '@dezky/contracts';
import { BadRequestError, ConflictError, DomainError, ForbiddenError, NotFoundError, PreconditionFailedError, PreconditionRequiredError } from '../../common/errors/domain-errors';
import type { Actor } from '../auth/actor';
import { WriteRecorder } from '../writes/write-recorder';
import { ChangeRequestsRepository, type ChangeRequestRecord, type Drafted } from './change-requests.repository';
import { ifMatchAllows, type IfMatch } from './flag-etag';
import { FlagsRepository } from './flags.repository';
import { FlagsService, stateAt, type DraftInput } from './flags.service';

/** A draft as a client sends it: draft fields, or `revertTo` (a kept version's contents). */
export interface ChangeRequestInput extends DraftInput {
  revertTo?: number;
}

/** The request's route, for messages. */
const routeOf = (id: string) => `/change-requests/${id}`;

/**
 * Four-eyes changes of protected flags: a change request holds a draft against one version of
 * the flag, and another administrator's approval applies it through FlagsService under that
 * version's ETag. Every transition is a conditional update on the request's status and revision
 * (no transactions), so concurrent approvals apply the draft exactly once.
 */
@Injectable()
export class ChangeRequestsService {
  constructor(
    private readonly requests: ChangeRequestsRepository,
    private readonly flagsRepo: FlagsRepository,
    private readonly flags: FlagsService,
    private readonly writes: WriteRecorder,
  ) {}

  async list(query: { status?: ChangeRequestStatus; flag?: string; limit: number; offset: number }): Promise<{ items: ChangeRequest[]; total: number; limit: number; offset: number }> {
    const { items, total } = await this.requests.list({ status: query.status, flagKey: query.flag, limit: query.limit, offset: query.offset });
    const flags = new Map((await this.flagsRepo.findByKeys([...new Set(items.map((r) => r.flagKey))])).map((f) => [f.key, f]));
    return { items: items.map((r) => view(r, flags.get(r.flagKey))), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<ChangeRequest> {
    const request = await this.find(id);
    return view(request, (await this.flagsRepo.findByKey(request.flagKey)) ?? undefined);
  }

  /**
   * Opens a change request of a protected flag, drafted against the flag as the If-Match names
   * it (required: a request must say which version it changes).
   */
  async open(actor: Actor, key: string, input: ChangeRequestInput, condition: IfMatch | undefined): Promise<ChangeRequest> {
    requireDraft(input);
    const flag = await this.flags.get(key);
    if (!condition || condition === '*') throw new PreconditionRequiredError(`A change request of ${key} needs If-Match with the ETag of the flag as you drafted the change`);
    if (!ifMatchAllows(condition, flag.etag)) throw staleDraft(flag);
    if (!flag.protected) throw new ConflictError(`Flag ${key} is not protected: change it directly with PATCH /flags/${key}`);
    const drafted = await this.draftOn(flag, input);
    const request = await this.requests.create({ ...drafted, flagKey: key, author: personOf(actor), approvalsRequired: this.flags.approvalsRequired });
    await this.audit(actor, 'flag.change_request_open', request, null, summary(request));
    return view(request, flag);
  }

  /** The author changes the draft: approvals so far are withdrawn (they approved another change) and the impact is computed again. */
  async edit(actor: Actor, id: string, input: ChangeRequestInput): Promise<ChangeRequest> {
    requireDraft(input);
    const request = await this.pendingOf(id, 'edit');
    requireAuthor(actor, request, 'edit');
    const flag = await this.flags.get(request.flagKey);
    // Drafted against the same version as before: the diff is from what the approvers saw.
    const base = flag.etag === request.baseEtag ? flag : { ...flag, ...(await this.baseContents(request, flag)) };
    const drafted = await this.draftOn(base, input, flag);
    const updated = await this.transitionOrConflict(request, { drafted: { ...drafted, baseVersion: request.baseVersion, baseEtag: request.baseEtag }, reviews: [] });
    await this.audit(actor, 'flag.change_request_edit', updated, summary(request), summary(updated));
    return view(updated, flag);
  }

  /** The author drafts the request again on the flag's current version; approvals are reset. */
  async rebase(actor: Actor, id: string): Promise<ChangeRequest> {
    const request = await this.pendingOf(id, 'rebase');
    requireAuthor(actor, request, 'rebase');
    const flag = await this.flags.get(request.flagKey);
    // A revert's draft is already the version's full contents: on any version it leads there.
    const drafted = await this.draftOn(flag, request.draft as DraftInput);
    const updated = await this.transitionOrConflict(request, { drafted: { ...drafted, revertTo: request.revertTo }, reviews: [] });
    await this.audit(actor, 'flag.change_request_rebase', updated, summary(request), summary(updated));
    return view(updated, flag);
  }

  /**
   * Another administrator approves. The approval that completes the request claims it (pending
   * to approved, conditional on its revision), then applies the draft under the drafted ETag; a
   * flag that moved since is refused before anything changes ("rebase first"), and should it
   * move between the claim and the write, the claim is undone.
   */
  async approve(actor: Actor, id: string, comment: string): Promise<ChangeRequest> {
    const request = await this.pendingOf(id, 'approve');
    requireReviewer(actor, request, 'approve');
    if (request.reviews.some((r) => r.decision === 'approve' && r.actor.userId === actor.userId)) throw new ConflictError(`You already approved change request ${id}`);
    const flag = await this.flags.get(request.flagKey);
    if (flag.etag !== request.baseEtag) throw needsRebase(request, flag);
    const reviews = [...request.reviews, review(actor, 'approve', comment)];
    const approvals = reviews.filter((r) => r.decision === 'approve').length;
    if (approvals < request.approvalsRequired) {
      const updated = await this.transitionOrConflict(request, { reviews });
      await this.audit(actor, 'flag.change_request_approve', updated, summary(request), { ...summary(updated), applied: false });
      return view(updated, flag);
    }
    const claimed = await this.transitionOrConflict(request, { status: 'approved', reviews });
    let applied: Flag;
    try {
      applied = await this.flags.applyApproved(actor, request.flagKey, request.draft as DraftInput, request.baseEtag, { id: request.id, author: request.author.email });
    } catch (error) {
      // Nothing was applied: the request is pending again, as it was before this approval.
      await this.requests.transition(claimed, { status: 'pending', reviews: request.reviews });
      if (error instanceof DomainError && error.status === 412) throw needsRebase(request, await this.flags.get(request.flagKey));
      if (error instanceof DomainError && error.status === 400) throw new ConflictError(`Change request ${id} no longer applies (${error.message}): nothing was applied; its author must edit it`);
      throw error;
    }
    const done = (await this.requests.transition(claimed, { appliedVersion: applied.version })) ?? claimed;
    return view(done, applied);
  }

  /** Another administrator rejects, saying why; the request is closed and nothing changes. */
  async reject(actor: Actor, id: string, comment: string): Promise<ChangeRequest> {
    const request = await this.pendingOf(id, 'reject');
    requireReviewer(actor, request, 'reject');
    const updated = await this.transitionOrConflict(request, { status: 'rejected', reviews: [...request.reviews, review(actor, 'reject', comment)] });
    await this.audit(actor, 'flag.change_request_reject', updated, summary(request), summary(updated));
    return view(updated, (await this.flagsRepo.findByKey(request.flagKey)) ?? undefined);
  }

  /** The author takes the request back; nothing changes. */
  async withdraw(actor: Actor, id: string): Promise<ChangeRequest> {
    const request = await this.pendingOf(id, 'withdraw');
    requireAuthor(actor, request, 'withdraw');
    const updated = await this.transitionOrConflict(request, { status: 'withdrawn' });
    await this.audit(actor, 'flag.change_request_withdraw', updated, summary(request), summary(updated));
    return view(updated, (await this.flagsRepo.findByKey(request.flagKey)) ?? undefined);
  }

  private async find(id: string): Promise<ChangeRequestRecord> {
    const request = await this.requests.findById(id);
    if (!request) throw new NotFoundError(`Change request ${id} not found`);
    return request;
  }

  private async pendingOf(id: string, verb: string): Promise<ChangeRequestRecord> {
    const request = await this.find(id);
    if (request.status !== 'pending') throw new ConflictError(`Change request ${id} is ${request.status}: only a pending request can be ${verb === 'approve' ? 'approved' : verb === 'reject' ? 'rejected' : verb === 'withdraw' ? 'withdrawn' : `${verb}d`}`);
    return request;
  }

  private async transitionOrConflict(request: ChangeRequestRecord, change: Parameters<ChangeRequestsRepository['transition']>[1]): Promise<ChangeRequestRecord> {
    const updated = await this.requests.transition(request, change);
    if (!updated) throw new ConflictError(`Change request ${request.id} changed meanwhile (edited, reviewed or closed by someone else): reload it (GET ${routeOf(request.id)}) and try again`);
    return updated;
  }

  /** The draft against `base` (the flag as drafted), its changes and the impact over every tenant now. */
  private async draftOn(base: Flag, input: ChangeRequestInput, current: Flag = base): Promise<Drafted> {
    const { revertTo } = input;
    const fields = plainDraft(input);
    let draft: ChangeRequestDraft;
    if (revertTo !== undefined) {
      const target = stateAt(current, revertTo);
      draft = { description: target.description, state: target.state, pct: target.pct, scope: target.scope };
    } else {
      draft = fields as ChangeRequestDraft;
    }
    const changes = await this.flags.changesOf(base, draft as DraftInput);
    if (!Object.keys(changes).length) {
      throw new ConflictError(revertTo !== undefined ? `Flag ${base.key} already equals version ${revertTo}: there is nothing to revert` : `The draft changes nothing on flag ${base.key} as of version ${base.version}`);
    }
    const impact = await this.flags.impact(base.key, draft as DraftInput);
    return { draft, revertTo: revertTo ?? null, changes, impact, baseVersion: base.version, baseEtag: base.etag };
  }

  /** The drafted version's contents, rebuilt from the flag's history (the flag moved since). */
  private async baseContents(request: ChangeRequestRecord, flag: Flag): Promise<Pick<Flag, 'description' | 'state' | 'pct' | 'scope' | 'version' | 'etag' | 'protected'>> {
    const at = stateAt(flag, request.baseVersion);
    return { description: at.description, state: at.state, pct: at.pct, scope: at.scope, version: request.baseVersion, etag: request.baseEtag, protected: true };
  }

  private audit(actor: Actor, action: string, request: ChangeRequestRecord, before: unknown, after: unknown): Promise<void> {
    // The flag itself is unchanged: nothing for the read models to re-read.
    return this.writes.recordWrite({ actor, action, target: { type: 'flag', id: request.flagKey }, before, after, changes: [] });
  }
}

/** A draft of something, and either draft fields or revertTo: else 400 naming what is missing. */
function requireDraft(input: ChangeRequestInput): void {
  const fields = Object.keys(plainDraft(input)).length > 0;
  if (input.revertTo !== undefined && fields) throw new BadRequestError('revertTo cannot be combined with draft fields: send either { revertTo } or a draft');
  if (input.revertTo === undefined && !fields) throw new BadRequestError('A change request needs a draft (description, state, pct, scope, or protected: false) or revertTo');
}

/**
 * The draft fields a client gave, as plain JSON to store: fields (and scope axes) left out are
 * absent, whatever the validated body object holds for them.
 */
function plainDraft(input: ChangeRequestInput): DraftInput {
  const draft: DraftInput = {};
  if (input.description !== undefined) draft.description = input.description;
  if (input.state !== undefined) draft.state = input.state;
  if (input.pct !== undefined) draft.pct = input.pct;
  if (input.protected !== undefined) draft.protected = input.protected;
  if (input.scope !== undefined) {
    const scope: NonNullable<DraftInput['scope']> = {};
    for (const axis of FLAG_SCOPE_AXES) {
      const values = input.scope[axis];
      if (values !== undefined) scope[axis] = [...values];
    }
    draft.scope = scope;
  }
  return draft;
}

function personOf(actor: Actor) {
  return { userId: actor.userId, email: actor.email };
}

function review(actor: Actor, decision: 'approve' | 'reject', comment: string): ChangeRequestReview {
  return { decision, comment, actor: personOf(actor), at: new Date().toISOString() };
}

function requireAuthor(actor: Actor, request: ChangeRequestRecord, verb: string): void {
  if (actor.userId !== request.author.userId) throw new ForbiddenError(`Only the author of change request ${request.id} (${request.author.email}) can ${verb} it`);
}

function requireReviewer(actor: Actor, request: ChangeRequestRecord, verb: 'approve' | 'reject'): void {
  if (actor.userId === request.author.userId) {
    throw new ForbiddenError(
      verb === 'approve'
        ? `You wrote change request ${request.id}: another platform administrator must approve it`
        : `You wrote change request ${request.id}: withdraw it instead (POST ${routeOf(request.id)}/withdraw), or let another platform administrator reject it`,
    );
  }
}

function staleDraft(flag: Flag): Error {
  return new PreconditionFailedError(`Flag ${flag.key} changed since you drafted this: it is now at version ${flag.version}. Reload it and draft your change again`);
}

function needsRebase(request: ChangeRequestRecord, flag: Flag): Error {
  return new ConflictError(
    `Flag ${flag.key} changed since change request ${request.id} was drafted (version ${request.baseVersion}, now ${flag.version}): nothing was applied. Its author must rebase it first (POST ${routeOf(request.id)}/rebase)`,
  );
}

/** What the audit log keeps of a request: its id and what it would do. */
function summary(r: ChangeRequestRecord) {
  return {
    changeRequestId: r.id,
    status: r.status,
    changes: r.changes,
    ...(r.revertTo ? { revertTo: r.revertTo } : {}),
    baseVersion: r.baseVersion,
    approvals: r.reviews.filter((x) => x.decision === 'approve').length,
    ...(r.reviews.length ? { lastReview: r.reviews.at(-1) } : {}),
  };
}

/** A stored request with what follows from the flag now: whether its drafted version is still current. */
function view(r: ChangeRequestRecord, flag: Flag | undefined): ChangeRequest {
  return {
    id: r.id,
    flagKey: r.flagKey,
    draft: r.draft,
    revertTo: r.revertTo,
    changes: r.changes,
    impact: r.impact,
    author: r.author,
    baseVersion: r.baseVersion,
    baseEtag: r.baseEtag,
    status: r.status,
    reviews: r.reviews,
    approvalsRequired: r.approvalsRequired,
    stale: r.status === 'pending' && (!flag || flag.etag !== r.baseEtag),
    flagVersion: flag?.version ?? null,
    appliedVersion: r.appliedVersion,
    revision: r.revision,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

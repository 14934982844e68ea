import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ChangeRequest as ChangeRequestAnswer, ChangeRequestPerson, ChangeRequestReview, ChangeRequestStatus } from '@dezky/contracts';
import type { Model } from 'mongoose';
import { Repository, type Page } from '../../common/mongo/repository';
import { idOf, isObjectIdHex, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { ChangeRequest } from './change-request.schema';

/** A change request as stored: ChangeRequest of contracts without what is computed from the flag now. */
export type ChangeRequestRecord = Omit<ChangeRequestAnswer, 'stale' | 'flagVersion'>;

/** What drafting (opening, editing, rebasing) sets. */
export type Drafted = Pick<ChangeRequestRecord, 'draft' | 'revertTo' | 'changes' | 'impact' | 'baseVersion' | 'baseEtag'>;

function toRecord(doc: Lean<ChangeRequest>): ChangeRequestRecord {
  return {
    id: idOf(doc),
    flagKey: doc.flagKey,
    draft: doc.draft,
    revertTo: doc.revertTo ?? null,
    changes: doc.changes,
    impact: doc.impact,
    author: { userId: doc.author.userId, email: doc.author.email },
    baseVersion: doc.baseVersion,
    baseEtag: doc.baseEtag,
    status: doc.status,
    reviews: (doc.reviews ?? []).map((r) => ({ decision: r.decision, comment: r.comment, actor: { userId: r.actor.userId, email: r.actor.email }, at: new Date(r.at).toISOString() })),
    approvalsRequired: doc.approvalsRequired,
    appliedVersion: doc.appliedVersion ?? null,
    revision: doc.revision,
    ...timestampsOf(doc),
  };
}

const toReviewDoc = (r: ChangeRequestReview) => ({ ...r, at: new Date(r.at) });

@Injectable()
export class ChangeRequestsRepository extends Repository<ChangeRequest, ChangeRequestRecord> {
  constructor(@InjectModel(ChangeRequest.name) requests: Model<ChangeRequest>) {
    super(requests, toRecord);
  }

  create(fields: Drafted & { flagKey: string; author: ChangeRequestPerson; approvalsRequired: number }): Promise<ChangeRequestRecord> {
    return this.created({ ...fields, status: 'pending', reviews: [], appliedVersion: null, revision: 1 });
  }

  list(query: { status?: ChangeRequestStatus; flagKey?: string; limit: number; offset: number }): Promise<Page<ChangeRequestRecord>> {
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = query.status;
    if (query.flagKey) filter.flagKey = query.flagKey;
    return this.page(filter, { createdAt: -1, _id: -1 }, query);
  }

  /**
   * The one way a request changes: only while it still has the status and revision it was read
   * with, so of two concurrent transitions (two approvals, an approval and an edit) exactly one
   * applies. Null when the request moved on meanwhile. Every change takes the next revision.
   */
  transition(
    current: Pick<ChangeRequestRecord, 'id' | 'status' | 'revision'>,
    change: { status?: ChangeRequestStatus; drafted?: Drafted; reviews?: ChangeRequestReview[]; appliedVersion?: number },
  ): Promise<ChangeRequestRecord | null> {
    if (!isObjectIdHex(current.id)) return Promise.resolve(null);
    const set: Record<string, unknown> = { revision: current.revision + 1 };
    if (change.status) set.status = change.status;
    if (change.drafted) Object.assign(set, change.drafted);
    if (change.reviews) set.reviews = change.reviews.map(toReviewDoc);
    if (change.appliedVersion !== undefined) set.appliedVersion = change.appliedVersion;
    return this.updated({ _id: current.id, status: current.status, revision: current.revision }, { $set: set });
  }
}

// Change requests of protected flags in words: where each stands, what it changes (the flag
// History's sentences) and who it affects.
import type { ChangeRequest, FlagImpact } from '@dezky/contracts';
import { readableChanges, type ReadableChange } from './flag-history';

/** Where a request stands, as its badge says it: a pending one whose flag moved needs a rebase. */
export type RequestState = 'pending' | 'stale' | 'approved' | 'rejected' | 'withdrawn';

export const REQUEST_STATES: Record<RequestState, { label: string; color: 'warning' | 'error' | 'success' | 'neutral' | 'info'; icon: string }> = {
  pending: { label: 'Pending', color: 'info', icon: 'i-lucide-hourglass' },
  stale: { label: 'Needs rebase', color: 'warning', icon: 'i-lucide-git-compare-arrows' },
  approved: { label: 'Approved', color: 'success', icon: 'i-lucide-circle-check' },
  rejected: { label: 'Rejected', color: 'error', icon: 'i-lucide-circle-x' },
  withdrawn: { label: 'Withdrawn', color: 'neutral', icon: 'i-lucide-undo-2' },
};

export function requestState(request: Pick<ChangeRequest, 'status' | 'stale'>): RequestState {
  return request.status === 'pending' && request.stale ? 'stale' : request.status;
}

/** The request's changes as the History shows a flag's: un-protecting reads "Approval: required → not required". */
export function requestChanges(request: Pick<ChangeRequest, 'changes'>): ReadableChange[] {
  return readableChanges({ at: '', actor: '', changes: request.changes });
}

/** Approvals given since the draft last changed, of those needed. */
export function approvalCount(request: Pick<ChangeRequest, 'reviews' | 'approvalsRequired'>): { given: number; needed: number } {
  return { given: request.reviews.filter((r) => r.decision === 'approve').length, needed: request.approvalsRequired };
}

/** "+12 gain, −3 lose: 40 → 49 of 200 tenants", or "No tenant gains or loses it". */
export function impactSentence(impact: FlagImpact): string {
  if (!impact.gainedCount && !impact.lostCount) return `No tenant gains or loses it (${impact.after} of ${impact.total} tenants have it)`;
  const parts: string[] = [];
  if (impact.gainedCount) parts.push(`${impact.gainedCount} ${impact.gainedCount === 1 ? 'tenant gains' : 'tenants gain'} it`);
  if (impact.lostCount) parts.push(`${impact.lostCount} ${impact.lostCount === 1 ? 'tenant loses' : 'tenants lose'} it`);
  return `${parts.join(', ')}: ${impact.before} → ${impact.after} of ${impact.total} tenants`;
}

/** What the signed-in person may do with a request: reviewers approve and reject, the author edits, rebases and withdraws. */
export function requestActions(request: Pick<ChangeRequest, 'status' | 'stale' | 'author'>, me: { email?: string } | null | undefined) {
  const pending = request.status === 'pending';
  const mine = !!me?.email && me.email.toLowerCase() === request.author.email.toLowerCase();
  return {
    mine,
    review: pending && !mine,
    /** Approving a stale request is refused by the API: the author must rebase first. */
    approve: pending && !mine && !request.stale,
    rebase: pending && mine && request.stale,
    withdraw: pending && mine,
  };
}

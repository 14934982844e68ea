import type { ChangeRequest } from '@dezky/contracts';
import { describe, expect, it } from 'vitest';
import { approvalCount, impactSentence, requestActions, requestChanges, requestState } from '../app/utils/change-request';
import { approvalNote } from '../app/utils/flag-history';

const request = (over: Partial<ChangeRequest> = {}): Pick<ChangeRequest, 'status' | 'stale' | 'author' | 'changes' | 'reviews' | 'approvalsRequired'> => ({
  status: 'pending',
  stale: false,
  author: { userId: 'u1', email: 'admin@dezky.test' },
  changes: {},
  reviews: [],
  approvalsRequired: 1,
  ...over,
});

describe('change requests in words', () => {
  it('calls a pending request whose flag moved "needs rebase", and every other by its status', () => {
    expect(requestState(request())).toBe('pending');
    expect(requestState(request({ stale: true }))).toBe('stale');
    expect(requestState(request({ status: 'approved', stale: false }))).toBe('approved');
    expect(requestState(request({ status: 'rejected' }))).toBe('rejected');
  });

  it('reads its changes like the History, un-protecting included', () => {
    expect(requestChanges(request({ changes: { pct: { from: 5, to: 25 }, protected: { from: true, to: false } } }))).toEqual([
      { field: 'pct', label: 'Rollout', kind: 'value', from: '5%', to: '25%' },
      { field: 'protected', label: 'Approval', kind: 'value', from: 'required', to: 'not required' },
    ]);
  });

  it('counts approvals only', () => {
    const approve = { decision: 'approve' as const, comment: '', actor: { userId: 'u2', email: 'carol@dezky.test' }, at: '' };
    expect(approvalCount(request({ reviews: [approve], approvalsRequired: 2 }))).toEqual({ given: 1, needed: 2 });
  });

  it('says who gains and loses the flag', () => {
    const impact = { total: 200, before: 40, after: 49, gainedCount: 12, lostCount: 3, gained: [], lost: [] };
    expect(impactSentence(impact)).toBe('12 tenants gain it, 3 tenants lose it: 40 → 49 of 200 tenants');
    expect(impactSentence({ ...impact, gainedCount: 1, lostCount: 0, after: 41 })).toBe('1 tenant gains it: 40 → 41 of 200 tenants');
    expect(impactSentence({ ...impact, gainedCount: 0, lostCount: 0, after: 40 })).toBe('No tenant gains or loses it (40 of 200 tenants have it)');
  });

  it('lets others than the author review, and the author rebase (when stale) and withdraw', () => {
    const carol = { email: 'carol@dezky.test' };
    const admin = { email: 'Admin@dezky.test' };
    expect(requestActions(request(), carol)).toEqual({ mine: false, review: true, approve: true, rebase: false, withdraw: false });
    expect(requestActions(request({ stale: true }), carol)).toMatchObject({ review: true, approve: false });
    expect(requestActions(request(), admin)).toEqual({ mine: true, review: false, approve: false, rebase: false, withdraw: true });
    expect(requestActions(request({ stale: true }), admin)).toMatchObject({ rebase: true });
    expect(requestActions(request({ status: 'approved' }), carol)).toMatchObject({ review: false, approve: false });
  });

  it('notes a kill switch that bypassed approval and a change an approved request made', () => {
    expect(approvalNote({ approval: { kind: 'bypassed', via: 'kill' } })).toBe('kill switch, approval bypassed');
    expect(approvalNote({ approval: { kind: 'change-request', changeRequestId: 'x', author: 'admin@dezky.test' } })).toBe('approved request by admin@dezky.test');
    expect(approvalNote({})).toBeUndefined();
  });
});

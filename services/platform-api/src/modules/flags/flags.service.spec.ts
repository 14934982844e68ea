import type { Flag } from '@dezky/contracts';
import { applyDraft, diff } from './flags.service';

const flag: Pick<Flag, 'key' | 'description' | 'state' | 'pct' | 'scope'> = {
  key: 'jmap_native_v2',
  description: 'JMAP',
  state: 'targeted',
  pct: 0,
  scope: { plans: ['business'], tenantSlugs: ['acme'], partnerSlugs: [], environments: ['production'] },
};

describe('applyDraft', () => {
  it('replaces a given scope axis and keeps the omitted ones', () => {
    expect(applyDraft(flag, { scope: { plans: ['enterprise'] } }).scope).toEqual({ plans: ['enterprise'], tenantSlugs: ['acme'], partnerSlugs: [], environments: ['production'] });
  });
  it('clears an axis given as []', () => {
    expect(applyDraft(flag, { scope: { tenantSlugs: [] } }).scope.tenantSlugs).toEqual([]);
  });
  it('drops duplicates within an axis', () => {
    expect(applyDraft(flag, { scope: { tenantSlugs: ['a-co', 'a-co', 'b-co'] } }).scope.tenantSlugs).toEqual(['a-co', 'b-co']);
  });
  it('keeps every field not in the draft', () => {
    expect(applyDraft(flag, {})).toEqual(flag);
    expect(applyDraft(flag, { state: 'rollout', pct: 10 })).toMatchObject({ state: 'rollout', pct: 10, description: 'JMAP' });
  });
});

describe('diff', () => {
  it('names each changed field with from and to, scope per axis', () => {
    const next = applyDraft(flag, { state: 'off', pct: 0, scope: { plans: [] } });
    expect(diff(flag, next)).toEqual({ state: { from: 'targeted', to: 'off' }, 'scope.plans': { from: ['business'], to: [] } });
  });
  it('is empty when nothing changes', () => {
    expect(diff(flag, applyDraft(flag, { description: 'JMAP', scope: { plans: ['business'] } }))).toEqual({});
  });
  it('names protecting and un-protecting, and keeps protection through any other draft', () => {
    const guarded = { ...flag, protected: true };
    expect(diff(flag, applyDraft(flag, { protected: true }))).toEqual({ protected: { from: false, to: true } });
    expect(diff(guarded, applyDraft(guarded, { protected: false }))).toEqual({ protected: { from: true, to: false } });
    expect(applyDraft(guarded, { state: 'on' }).protected).toBe(true);
    expect(diff(guarded, applyDraft(guarded, { state: 'on' }))).toEqual({ state: { from: 'targeted', to: 'on' } });
  });
  it('sees a reordered axis as a change', () => {
    const f = { ...flag, scope: { ...flag.scope, plans: ['business', 'enterprise'] as Flag['scope']['plans'] } };
    expect(Object.keys(diff(f, applyDraft(f, { scope: { plans: ['enterprise', 'business'] } })))).toEqual(['scope.plans']);
  });
});

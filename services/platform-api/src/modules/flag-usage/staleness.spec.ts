import type { Flag } from '@dezky/contracts';
import { finalState, staleness } from './staleness';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const noScope = { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] };
const flag = (over: Partial<Pick<Flag, 'state' | 'pct' | 'scope' | 'createdAt' | 'updatedAt'>>) => ({
  state: 'off' as Flag['state'],
  pct: 0,
  scope: noScope,
  createdAt: new Date(NOW - 100 * DAY).toISOString(),
  updatedAt: new Date(NOW - 40 * DAY).toISOString(),
  ...over,
});

describe('finalState', () => {
  it('is off, on, or a rollout at 100% with no scope; anything else still decides per tenant', () => {
    expect(finalState(flag({ state: 'off', pct: 40 }))).toBe('off');
    expect(finalState(flag({ state: 'on', scope: { ...noScope, plans: ['business'] } }))).toBe('on');
    expect(finalState(flag({ state: 'rollout', pct: 100 }))).toBe('full-rollout');
    expect(finalState(flag({ state: 'rollout', pct: 99 }))).toBeNull();
    expect(finalState(flag({ state: 'rollout', pct: 100, scope: { ...noScope, environments: ['production'] } }))).toBeNull();
    expect(finalState(flag({ state: 'targeted', scope: { ...noScope, plans: ['business'] } }))).toBeNull();
  });
});

describe('staleness', () => {
  const recently = NOW - 60_000;

  it('names a final state unchanged for the days of the rule, with the day it last changed', () => {
    expect(staleness(flag({ state: 'on' }), recently, NOW, 30)).toEqual({ reason: 'final', state: 'on', since: new Date(NOW - 40 * DAY).toISOString() });
    // One day short of the rule: not yet.
    expect(staleness(flag({ state: 'on', updatedAt: new Date(NOW - 29 * DAY).toISOString() }), recently, NOW, 30)).toBeNull();
    expect(staleness(flag({ state: 'on' }), recently, NOW, 45)).toBeNull();
  });

  it('names a flag nobody evaluated for the days of the rule, or ever since it was created that long ago', () => {
    const rollout = flag({ state: 'rollout', pct: 30 });
    expect(staleness(rollout, NOW - 31 * DAY, NOW, 30)).toEqual({ reason: 'unevaluated', since: new Date(NOW - 31 * DAY).toISOString() });
    expect(staleness(rollout, NOW - 29 * DAY, NOW, 30)).toBeNull();
    expect(staleness(rollout, null, NOW, 30)).toEqual({ reason: 'unevaluated', since: null });
    // Created a week ago and not evaluated yet: too young to say.
    expect(staleness(flag({ state: 'rollout', pct: 30, createdAt: new Date(NOW - 7 * DAY).toISOString() }), null, NOW, 30)).toBeNull();
  });

  it('names the final state first when both hold', () => {
    expect(staleness(flag({ state: 'off' }), null, NOW, 30)).toMatchObject({ reason: 'final', state: 'off' });
  });

  it('never calls a flag that still decides per tenant and is evaluated stale, however old', () => {
    expect(staleness(flag({ state: 'targeted', scope: { ...noScope, plans: ['enterprise'] }, updatedAt: new Date(NOW - 400 * DAY).toISOString() }), recently, NOW, 30)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { flagBeforeKill } from '../app/utils/flag-kill';
import { makeFlag } from './fixtures';

describe('flagBeforeKill: what an Undo of the kill switch restores', () => {
  it("reads state and pct from the kill's history entry, and keeps the scope", () => {
    const shown = makeFlag({ version: 4, state: 'rollout', pct: 30, scope: { plans: ['business'] } });
    // Someone changed the flag to 60% after the panel read it; the kill found 60%.
    const killed = makeFlag({
      version: 6,
      state: 'off',
      pct: 0,
      scope: { plans: ['business'] },
      history: [{ at: '2026-12-02T09:00:00.000Z', actor: 'admin@dezky.test', changes: { state: { from: 'rollout', to: 'off' }, pct: { from: 60, to: 0 } } }],
    });
    expect(flagBeforeKill(killed, shown)).toMatchObject({ version: 6, state: 'rollout', pct: 60, scope: { plans: ['business'] } });
  });

  it('keeps what the kill did not change (a flag on at 0% only changes state)', () => {
    const killed = makeFlag({ version: 3, state: 'off', pct: 0, history: [{ at: '2026-12-02T09:00:00.000Z', actor: 'a@dezky.test', changes: { state: { from: 'on', to: 'off' } } }] });
    expect(flagBeforeKill(killed, makeFlag({ version: 2, state: 'on', pct: 0 }))).toMatchObject({ state: 'on', pct: 0 });
  });

  it('answers the shown flag when the kill changed nothing (it was off at 0% already)', () => {
    const shown = makeFlag({ version: 2, state: 'off', pct: 0 });
    expect(flagBeforeKill({ ...shown }, shown)).toBe(shown);
  });
});

import { describe, expect, it } from 'vitest';
import { flagBeforeKill } from '../app/utils/flag-kill';
import { makeFlag } from './fixtures';

const ME = 'admin@dezky.test';
const killEntry = (actor: string, changes: Record<string, { from: unknown; to: unknown }>) => [{ at: '2026-12-02T09:00:00.000Z', actor, changes }];

describe('flagBeforeKill: what an Undo of the kill switch restores', () => {
  it("reads state and pct from this kill's history entry, and keeps the scope", () => {
    const shown = makeFlag({ version: 4, state: 'rollout', pct: 30, scope: { plans: ['business'] } });
    // Someone changed the flag to 60% after the panel read it; this kill found 60%.
    const killed = makeFlag({ version: 6, state: 'off', pct: 0, scope: { plans: ['business'] }, history: killEntry(ME, { state: { from: 'rollout', to: 'off' }, pct: { from: 60, to: 0 } }) });
    expect(flagBeforeKill(killed, shown, ME)).toMatchObject({ version: 6, state: 'rollout', pct: 60, scope: { plans: ['business'] } });
  });

  it('keeps what the kill did not change (a flag on at 0% only changes state)', () => {
    const killed = makeFlag({ version: 3, state: 'off', pct: 0, history: killEntry(ME, { state: { from: 'on', to: 'off' } }) });
    expect(flagBeforeKill(killed, makeFlag({ version: 2, state: 'on', pct: 0 }), ME)).toMatchObject({ state: 'on', pct: 0 });
  });

  it('offers nothing to undo when this press changed nothing', () => {
    const shown = makeFlag({ version: 2, state: 'off', pct: 0 });
    expect(flagBeforeKill({ ...shown }, shown, ME)).toBeUndefined();
  });

  it("offers nothing to undo when someone else's kill came first: an Undo would undo theirs", () => {
    const shown = makeFlag({ version: 5, state: 'rollout', pct: 30 });
    const killedByColleague = makeFlag({ version: 6, state: 'off', pct: 0, history: killEntry('colleague@dezky.test', { state: { from: 'rollout', to: 'off' }, pct: { from: 30, to: 0 } }) });
    expect(flagBeforeKill(killedByColleague, shown, ME)).toBeUndefined();
    // Nor when the newest change is not a kill at all.
    const edited = makeFlag({ version: 6, state: 'off', pct: 0, history: killEntry(ME, { description: { from: 'a', to: 'b' } }) });
    expect(flagBeforeKill(edited, shown, ME)).toBeUndefined();
  });
});

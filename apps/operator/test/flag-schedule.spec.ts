import { describe, expect, it } from 'vitest';
import { impactLine, localInputToMs, localInputValue, nextDefaultTime, rowsFromSteps, rowsToSteps, stepChange, stepTime, type PlanRow } from '../app/utils/flag-schedule';

const NOW = Date.parse('2026-12-02T09:00:00Z');
let id = 0;
const row = (r: Partial<PlanRow>): PlanRow => ({ id: ++id, now: false, local: '', state: '', pct: '', ...r });

describe('rowsToSteps: the editor rows as the API plan', () => {
  it('turns local times into UTC instants, keeps "now" for the first row, and sends only what each row sets', () => {
    const at = NOW + 86_400_000;
    const { steps, problems } = rowsToSteps([row({ now: true, state: 'rollout', pct: '5' }), row({ local: localInputValue(at), pct: '25' }), row({ local: localInputValue(at + 3_600_000), state: 'on' })], NOW);
    expect(problems).toEqual([]);
    expect(steps).toEqual([
      { at: 'now', state: 'rollout', pct: 5 },
      { at: new Date(at).toISOString(), pct: 25 },
      { at: new Date(at + 3_600_000).toISOString(), state: 'on' },
    ]);
  });

  it('names each problem: past, out of order, no change, a bad percentage, no time', () => {
    const { problems } = rowsToSteps(
      [row({ local: localInputValue(NOW - 3_600_000), pct: '5' }), row({ local: localInputValue(NOW - 7_200_000), state: 'on' }), row({ local: localInputValue(NOW + 3_600_000) }), row({ local: localInputValue(NOW + 7_200_000), pct: '12.5' }), row({ pct: '3' })],
      NOW,
    );
    expect(problems).toEqual([
      'Step 1 is in the past.',
      'Step 2 is in the past.',
      'Step 2 must come after step 1.',
      'Step 3: set a state, a percentage or both.',
      'Step 4: the percentage must be a whole number from 0 to 100.',
      'Step 5: pick a date and time.',
    ]);
    expect(rowsToSteps([], NOW).problems).toEqual(['Add at least one step.']);
  });

  it('only the first row can be "now"', () => {
    const { steps } = rowsToSteps([row({ now: true, pct: '5' }), row({ now: true, local: localInputValue(NOW + 60_000), pct: '6' })], NOW);
    expect(steps[1]!.at).toBe(new Date(NOW + 60_000).toISOString());
  });
});

describe('times of a plan', () => {
  it('reads a datetime-local value back as the same instant, and refuses anything else', () => {
    expect(localInputToMs(localInputValue(NOW))).toBe(NOW);
    expect(localInputToMs('')).toBeUndefined();
    expect(localInputToMs('tomorrow')).toBeUndefined();
  });

  it('shows a step in the browser zone with UTC beside it', () => {
    expect(stepTime('2026-05-12T08:00:00Z', 'Europe/Berlin')).toEqual({ local: 'Tue, 12 May 2026, 10:00 CEST', utc: '08:00 UTC' });
    expect(stepTime('2026-05-12T23:30:00Z', 'Europe/Berlin').utc).toBe('12 May, 23:30 UTC');
  });

  it('proposes the next day at 10:00 for a new row', () => {
    const next = new Date(nextDefaultTime(NOW, NOW));
    expect([next.getHours(), next.getMinutes()]).toEqual([10, 0]);
    expect(next.getTime()).toBeGreaterThan(NOW);
  });

  it('starts a new plan from the pending steps of the last one', () => {
    let n = 0;
    const rows = rowsFromSteps(
      [
        { at: '2026-12-01T10:00:00.000Z', pct: 5, executedAt: '2026-12-01T10:00:01.000Z', version: 2 },
        { at: '2026-12-03T10:00:00.000Z', state: 'on', executedAt: null, version: null },
      ],
      () => ++n,
    );
    expect(rows).toEqual([{ id: 1, now: false, local: localInputValue(Date.parse('2026-12-03T10:00:00.000Z')), state: 'on', pct: '' }]);
  });
});

describe('lines of a plan', () => {
  it('says what a step sets and what it changes', () => {
    expect(stepChange({ state: 'rollout', pct: 25 })).toBe('rollout at 25%');
    expect(stepChange({ pct: 50 })).toBe('50%');
    expect(stepChange({ state: 'on' })).toBe('on');
    expect(impactLine({ total: 1204, after: 312, gainedCount: 180, lostCount: 0 })).toEqual({ count: '312 of 1,204 tenants', delta: '+180' });
    expect(impactLine({ total: 10, after: 4, gainedCount: 1, lostCount: 3 }).delta).toBe('+1 −3');
    expect(impactLine({ total: 10, after: 4, gainedCount: 0, lostCount: 0 }).delta).toBe('no change');
  });
});

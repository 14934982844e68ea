import { describe, expect, it } from 'vitest';
import { shortDate, staleLabel, staleSentence, usageSummary } from '../app/utils/flag-usage';

const NOW = Date.parse('2026-12-02T10:00:00.000Z');

describe('staleSentence: why a flag is potentially stale and what to do', () => {
  it('names the final state, since when, and that the code goes first', () => {
    expect(staleSentence({ reason: 'final', state: 'on', since: '2026-10-12T08:00:00.000Z' }, 30, NOW)).toBe('On for everyone since 12 Oct: remove it from the code, then delete it.');
    expect(staleSentence({ reason: 'final', state: 'full-rollout', since: '2026-10-12T08:00:00.000Z' }, 30, NOW)).toBe('At 100% for everyone since 12 Oct: remove it from the code, then delete it.');
    expect(staleSentence({ reason: 'final', state: 'off', since: '2025-12-24T08:00:00.000Z' }, 30, NOW)).toBe('Off for everyone since 24 Dec 2025: remove the code behind it, then delete it.');
  });

  it('names the last evaluation, or that there was none in the days of the rule', () => {
    expect(staleSentence({ reason: 'unevaluated', since: '2026-10-01T23:30:00.000Z' }, 30, NOW)).toBe('Not evaluated since 1 Oct: check whether any code still reads it, then delete it.');
    expect(staleSentence({ reason: 'unevaluated', since: null }, 45, NOW)).toBe('Not evaluated once in 45 days: check whether any code still reads it, then delete it.');
  });

  it('labels the two reasons apart', () => {
    expect(staleLabel({ reason: 'final', state: 'on', since: '2026-10-12T08:00:00.000Z' })).not.toBe(staleLabel({ reason: 'unevaluated', since: null }));
  });
});

describe('shortDate and usageSummary', () => {
  it('gives the day in UTC, with the year only when it is not this one', () => {
    expect(shortDate('2026-03-01T00:30:00.000Z', NOW)).toBe('1 Mar');
    expect(shortDate('2024-03-01T00:30:00.000Z', NOW)).toBe('1 Mar 2024');
  });

  it('sums the days, and averages them when that is at least one a day', () => {
    expect(usageSummary({ daily: [0, 0, 10, 4] })).toBe('14 evaluations in 4 days · about 4 a day');
    expect(usageSummary({ daily: [0, 0, 3, 0, 0] })).toBe('3 evaluations in 5 days');
    expect(usageSummary({ daily: [1, 0] })).toBe('1 evaluation in 2 days');
    expect(usageSummary({ daily: [9000, 12000] })).toBe('21,000 evaluations in 2 days · about 10,500 a day');
  });
});

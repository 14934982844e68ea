import type { FlagExplanation } from '@dezky/contracts';
import { describe, expect, it } from 'vitest';
import { explanationText, explanationTitle } from '../app/utils/flag-explanation';

describe('explanationText: why a flag is on or off for a tenant', () => {
  it.each<[FlagExplanation, string, string | undefined]>([
    [{ value: false, reason: 'off' }, 'off for everyone', undefined],
    [{ value: true, reason: 'on' }, 'on for everyone', undefined],
    [{ value: false, reason: 'no-scope' }, 'targets nobody', 'Targeted, but no plan, tenant, partner or environment is selected.'],
    [{ value: true, reason: 'scope-match' }, 'in the targeted scope', 'The tenant matches every scope the flag sets.'],
    [{ value: true, reason: 'inside-rollout', bucket: 12, pct: 30 }, 'bucket 12 inside the 30% rollout', 'Bucket 12 is below 30%.'],
    [{ value: false, reason: 'outside-rollout', bucket: 30, pct: 30 }, 'bucket 30 outside the 30% rollout', 'Bucket 30 is not below 30%.'],
  ])('%j', (explanation, summary, detail) => {
    expect(explanationText(explanation)).toEqual(detail === undefined ? { summary } : { summary, detail });
  });

  it('names the axis a tenant is outside of, with the tenant\'s own value where it is known', () => {
    const outside = (axis: 'plans' | 'tenantSlugs' | 'partnerSlugs' | 'environments', context = {}) => explanationText({ value: false, reason: 'scope-mismatch', axis }, context);
    expect(outside('plans', { plan: 'starter' })).toEqual({ summary: 'outside the targeted plan', detail: "Its plan (starter) is not among the flag's plans." });
    expect(outside('plans')).toEqual({ summary: 'outside the targeted plan', detail: "Its plan is not among the flag's plans." });
    expect(outside('tenantSlugs')).toEqual({ summary: 'outside the targeted tenant list', detail: "It is not among the flag's tenants." });
    expect(outside('partnerSlugs', { partnerSlug: 'nordic-it' })).toEqual({ summary: 'outside the targeted partner', detail: "Its partner (nordic-it) is not among the flag's partners." });
    expect(outside('partnerSlugs', { partnerSlug: null }).detail).toBe("It has no partner, and the flag targets partners' tenants.");
    expect(outside('partnerSlugs').detail).toBe("Its partner is not among the flag's partners.");
    expect(outside('environments', { environment: 'staging' }).detail).toBe("This environment (staging) is not among the flag's environments.");
    expect(outside('environments').detail).toBe("This environment is not among the flag's environments.");
  });

  it('says so for a reason it does not know', () => {
    expect(explanationText({ value: false, reason: 'maintenance' } as unknown as FlagExplanation)).toEqual({ summary: 'unknown reason' });
  });

  it('makes a title of the phrase', () => {
    expect(explanationTitle({ summary: 'in the targeted scope' })).toBe('In the targeted scope');
    expect(explanationTitle({ summary: '' })).toBe('');
  });
});

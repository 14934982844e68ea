import { describe, expect, it } from 'vitest';
import { changedSummary, draftOf, formOf, formWithDraft, isEmptyDraft, parsePct } from '../app/utils/flag-draft';
import { makeFlag } from './fixtures';

describe('draftOf: what Save sends as the PATCH body', () => {
  const flag = makeFlag();

  it('is empty for the form of the flag as opened', () => {
    expect(draftOf(flag, formOf(flag))).toEqual({});
    expect(isEmptyDraft(draftOf(flag, formOf(flag)))).toBe(true);
  });

  it('sends only the fields that differ', () => {
    const form = formOf(flag);
    form.state = 'on';
    form.pct = 40;
    expect(draftOf(flag, form)).toEqual({ state: 'on', pct: 40 });
  });

  it('sends the description trimmed, and no change for surrounding spaces alone', () => {
    const form = formOf(flag);
    form.description = '  The new billing engine  ';
    expect(draftOf(flag, form)).toEqual({});
    form.description = ' Invoices from the new engine ';
    expect(draftOf(flag, form)).toEqual({ description: 'Invoices from the new engine' });
  });

  it('compares scope axes as sets and sends only the changed axes, whole', () => {
    const form = formOf(flag);
    form.scope.plans = ['enterprise', 'business'];
    expect(draftOf(flag, form)).toEqual({});
    form.scope.partnerSlugs = [];
    form.scope.tenantSlugs = ['acme'];
    expect(draftOf(flag, form)).toEqual({ scope: { tenantSlugs: ['acme'], partnerSlugs: [] } });
    form.scope.plans = ['business'];
    expect(draftOf(flag, form)).toEqual({ scope: { plans: ['business'], tenantSlugs: ['acme'], partnerSlugs: [] } });
  });

  it('never shares arrays with the flag: editing the form leaves the flag as it was', () => {
    const form = formOf(flag);
    form.scope.plans.push('starter');
    expect(flag.scope.plans).toEqual(['business', 'enterprise']);
    const draft = draftOf(flag, form);
    form.scope.plans.pop();
    expect(draft.scope?.plans).toEqual(['business', 'enterprise', 'starter']);
  });
});

describe('formWithDraft: a draft made earlier, back on its flag', () => {
  const flag = makeFlag();

  it('gives back exactly the draft it was made of', () => {
    const draft = { state: 'targeted' as const, scope: { tenantSlugs: ['acme', 'globex'] }, description: 'Billing, new' };
    const form = formWithDraft(flag, draft);
    expect(form).toEqual({
      description: 'Billing, new',
      state: 'targeted',
      pct: 25,
      scope: { plans: ['business', 'enterprise'], tenantSlugs: ['acme', 'globex'], partnerSlugs: ['nordic-it'], environments: ['production'] },
    });
    expect(draftOf(flag, form)).toEqual(draft);
  });

  it('keeps a percentage of 0 and an emptied axis', () => {
    expect(draftOf(flag, formWithDraft(flag, { pct: 0, scope: { environments: [] } }))).toEqual({ pct: 0, scope: { environments: [] } });
  });
});

describe('changedSummary', () => {
  it('names what a draft changes, in the order of the panel', () => {
    expect(changedSummary({ description: 'x', scope: { environments: [], plans: ['starter'] }, pct: 5, state: 'rollout' })).toBe('state rollout, 5%, plans, environments, description');
    expect(changedSummary({ pct: 0 })).toBe('0%');
    expect(changedSummary({})).toBe('');
  });
});

describe('parsePct: a percentage as typed', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    [' 25 ', 25],
    ['100', 100],
    ['007', 7],
  ])('takes %j as %j', (typed, value) => {
    expect(parsePct(typed)).toBe(value);
  });

  it.each(['', ' ', '12.5', '1,5', '-5', '101', '1000', '1e2', '+5', '50%', 'abc'])('refuses %j', (typed) => {
    expect(parsePct(typed)).toBeUndefined();
  });
});

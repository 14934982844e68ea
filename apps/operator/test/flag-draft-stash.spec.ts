import { describe, expect, it } from 'vitest';
import { restoreDraft, serialiseDraft } from '../app/utils/flag-draft-stash';
import { makeFlag } from './fixtures';

describe('the draft kept across the end of a session', () => {
  const flag = makeFlag();
  const draft = { state: 'on' as const, scope: { tenantSlugs: ['acme'] } };
  const stored = (value: unknown) => JSON.stringify(value);

  it('comes back with the flag it was made against: its key, version and ETag', () => {
    const restored = restoreDraft(serialiseDraft({ flag, draft }), 'new_billing_engine');
    expect(restored).toEqual({ flag, draft });
    expect(restored?.flag).toMatchObject({ key: 'new_billing_engine', version: 7, etag: '"f-7c1e2a"' });
  });

  it('is stored as a versioned record', () => {
    expect(JSON.parse(serialiseDraft({ flag, draft }))).toEqual({ format: 1, flag, draft });
  });

  it('is refused for another flag', () => {
    expect(restoreDraft(serialiseDraft({ flag, draft }), 'gdpr_export_v2')).toBeUndefined();
  });

  it('is not there when nothing is stored', () => {
    expect(restoreDraft(null, flag.key)).toBeUndefined();
    expect(restoreDraft('', flag.key)).toBeUndefined();
  });

  it.each([
    ['text that is not JSON', '{"format":1,'],
    ['JSON that is no record', '"a draft"'],
    ['another format', stored({ format: 2, flag, draft })],
    ['no format', stored({ flag, draft })],
    ['no flag', stored({ format: 1, draft })],
    ['a flag without ETag', stored({ format: 1, flag: { ...flag, etag: '' }, draft })],
    ['a flag without version', stored({ format: 1, flag: { ...flag, version: undefined }, draft })],
    ['a flag key no flag can have', stored({ format: 1, flag: { ...flag, key: 'New-Billing' }, draft })],
    ['a flag of an unknown state', stored({ format: 1, flag: { ...flag, state: 'paused' }, draft })],
    ['a flag with a scope of another shape', stored({ format: 1, flag: { ...flag, scope: { plans: 'business' } }, draft })],
    ['a percentage that is not a whole number', stored({ format: 1, flag, draft: { pct: 12.5 } })],
    ['a percentage above 100', stored({ format: 1, flag, draft: { pct: 101 } })],
    ['an unknown plan', stored({ format: 1, flag, draft: { scope: { plans: ['gold'] } } })],
    ['a field a draft does not have', stored({ format: 1, flag, draft: { state: 'on', etag: 'x' } })],
    ['a draft that is a list', stored({ format: 1, flag, draft: [] })],
  ])('is refused when it is %s', (_what, text) => {
    expect(restoreDraft(text, flag.key)).toBeUndefined();
  });

  it('is not there when it changes nothing', () => {
    expect(restoreDraft(stored({ format: 1, flag, draft: {} }), flag.key)).toBeUndefined();
    expect(restoreDraft(stored({ format: 1, flag, draft: { scope: {} } }), flag.key)).toBeUndefined();
    expect(restoreDraft(stored({ format: 1, flag, draft: { pct: 5, scope: {} } }), flag.key)).toEqual({ flag, draft: { pct: 5 } });
  });
});

import type { FlagHistoryEntry } from '@dezky/contracts';
import { describe, expect, it } from 'vitest';
import { fieldLabel, readableChanges } from '../app/utils/flag-history';

const entry = (changes: FlagHistoryEntry['changes']): FlagHistoryEntry => ({ at: '2026-11-30T09:15:00.000Z', actor: 'admin@dezky.test', changes });

describe('readableChanges: the change sentences of the history and the audit', () => {
  it('reads a creation', () => {
    expect(readableChanges(entry({ created: { from: null, to: 'new_billing_engine' } }))).toEqual([{ field: 'created', label: 'Created', kind: 'created', to: 'new_billing_engine' }]);
  });

  it('reads values from → to, a percentage with its sign and nothing as a dash', () => {
    expect(readableChanges(entry({ state: { from: 'off', to: 'rollout' }, pct: { from: 0, to: 25 }, description: { from: '', to: 'Billing' } }))).toEqual([
      { field: 'state', label: 'State', kind: 'value', from: 'off', to: 'rollout' },
      { field: 'pct', label: 'Rollout', kind: 'value', from: '0%', to: '25%' },
      { field: 'description', label: 'Description', kind: 'value', from: '—', to: 'Billing' },
    ]);
  });

  it('reads a list as the values added and removed', () => {
    expect(readableChanges(entry({ 'scope.plans': { from: ['starter', 'business'], to: ['business', 'enterprise'] } }))).toEqual([
      { field: 'scope.plans', label: 'Plans', kind: 'list', from: 'starter, business', to: 'business, enterprise', added: ['enterprise'], removed: ['starter'] },
    ]);
  });

  it('reads a list that was empty or missing as none, and a reordering as no value added or removed', () => {
    expect(readableChanges(entry({ 'scope.tenantSlugs': { from: null, to: ['acme'] }, 'scope.environments': { from: ['test', 'production'], to: ['production', 'test'] } }))).toEqual([
      { field: 'scope.tenantSlugs', label: 'Tenants', kind: 'list', from: 'none', to: 'acme', added: ['acme'], removed: [] },
      { field: 'scope.environments', label: 'Environments', kind: 'list', from: 'test, production', to: 'production, test', added: [], removed: [] },
    ]);
  });

  it('labels fields it does not know by their name', () => {
    expect(fieldLabel('scope.partnerSlugs')).toBe('Partners');
    expect(fieldLabel('owner')).toBe('owner');
    expect(readableChanges(entry({ owner: { from: 'a', to: 'b' } }))).toEqual([{ field: 'owner', label: 'owner', kind: 'value', from: 'a', to: 'b' }]);
  });
});

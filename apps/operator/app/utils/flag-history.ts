// A flag's recorded changes in words: the history in the flag panel, the last change in the list
// and on the overview, and the conflict view's field names.
import type { FlagHistoryEntry } from '@dezky/contracts';

/** How a change of a protected flag got past approval, in words; undefined for an ordinary change. */
export function approvalNote(entry: Pick<FlagHistoryEntry, 'approval'>): string | undefined {
  if (entry.approval?.kind === 'bypassed') return 'kill switch, approval bypassed';
  if (entry.approval?.kind === 'change-request') return `approved request by ${entry.approval.author}`;
  return undefined;
}

const FIELD_LABELS: Record<string, string> = {
  description: 'Description',
  state: 'State',
  pct: 'Rollout',
  'scope.plans': 'Plans',
  'scope.tenantSlugs': 'Tenants',
  'scope.partnerSlugs': 'Partners',
  'scope.environments': 'Environments',
  protected: 'Approval',
};

/** "Rollout" for `pct`, "Plans" for `scope.plans`; an unknown field as it is. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** One history change made readable: list fields as added/removed values, the rest from → to. */
export interface ReadableChange {
  field: string;
  label: string;
  kind: 'created' | 'list' | 'value';
  from?: string;
  to?: string;
  added?: string[];
  removed?: string[];
}

function show(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'pct' && typeof value === 'number') return `${value}%`;
  if (field === 'protected' && typeof value === 'boolean') return value ? 'required' : 'not required';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  return String(value);
}

export function readableChanges(entry: FlagHistoryEntry): ReadableChange[] {
  return Object.entries(entry.changes).map(([field, change]) => {
    if (field === 'created') return { field, label: 'Created', kind: 'created', to: show(field, change.to) };
    if (Array.isArray(change.from) || Array.isArray(change.to)) {
      const from = (Array.isArray(change.from) ? change.from : []).map(String);
      const to = (Array.isArray(change.to) ? change.to : []).map(String);
      return {
        field,
        label: fieldLabel(field),
        kind: 'list',
        from: show(field, from),
        to: show(field, to),
        added: to.filter((v) => !from.includes(v)),
        removed: from.filter((v) => !to.includes(v)),
      };
    }
    return { field, label: fieldLabel(field), kind: 'value', from: show(field, change.from), to: show(field, change.to) };
  });
}


// Helpers of the flag screens (the "-" prefix keeps this file out of the auto-registered components).
import type { Flag, FlagDraft, FlagHistoryEntry, FlagScope, FlagScopeAxis, FlagState } from '@dezky/contracts';
import { FLAG_SCOPE_AXES } from '@dezky/contracts';
export { hasAnyScope } from '@dezky/flags-core/scope';
import type { Ref } from 'vue';
import { onMounted, useState } from '#imports';

export interface FlagList {
  items: Flag[];
  etag: string;
}

/** Badge colour of each state. */
export const STATE_COLORS: Record<FlagState, 'neutral' | 'success' | 'info' | 'warning'> = {
  off: 'neutral',
  on: 'success',
  targeted: 'info',
  rollout: 'warning',
};

export const STATE_ICONS: Record<FlagState, string> = {
  off: 'i-lucide-circle-off',
  on: 'i-lucide-circle-check',
  targeted: 'i-lucide-crosshair',
  rollout: 'i-lucide-chart-pie',
};

export const STATE_HELP: Record<FlagState, string> = {
  off: 'Off for every tenant.',
  on: 'On for every tenant; the scope is ignored.',
  targeted: 'On only for tenants matching every non-empty scope axis. An empty scope means nobody.',
  rollout: 'On for a stable percentage of the tenants matching the scope. An empty scope means every tenant is eligible.',
};

export const AXIS_LABELS: Record<FlagScopeAxis, string> = {
  plans: 'Plans',
  tenantSlugs: 'Tenants',
  partnerSlugs: 'Partners',
  environments: 'Environments',
};

export const AXIS_ICONS: Record<FlagScopeAxis, string> = {
  plans: 'i-lucide-layers',
  tenantSlugs: 'i-lucide-building-2',
  partnerSlugs: 'i-lucide-handshake',
  environments: 'i-lucide-server',
};

/** The editable part of a flag, every field present. */
export interface FlagForm {
  description: string;
  state: FlagState;
  pct: number;
  scope: FlagScope;
}

export function formOf(flag: Flag): FlagForm {
  return {
    description: flag.description,
    state: flag.state,
    pct: flag.pct,
    scope: {
      plans: [...flag.scope.plans],
      tenantSlugs: [...flag.scope.tenantSlugs],
      partnerSlugs: [...flag.scope.partnerSlugs],
      environments: [...flag.scope.environments],
    },
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((v) => set.has(v));
}

/**
 * What a form changes on a flag, as the PATCH body: only the fields that differ; scope axes are
 * compared as sets (reordering chips is no change) and only changed axes are sent.
 */
export function draftOf(flag: Flag, form: FlagForm): FlagDraft {
  const draft: FlagDraft = {};
  if (form.description.trim() !== flag.description) draft.description = form.description.trim();
  if (form.state !== flag.state) draft.state = form.state;
  if (form.pct !== flag.pct) draft.pct = form.pct;
  const scope: Partial<FlagScope> = {};
  for (const axis of FLAG_SCOPE_AXES) {
    if (!sameSet(form.scope[axis], flag.scope[axis])) (scope as Record<string, string[]>)[axis] = [...form.scope[axis]];
  }
  if (Object.keys(scope).length) draft.scope = scope;
  return draft;
}

/** A rollout percentage as typed: a whole number from 0 to 100, or undefined for anything else. */
export function parsePct(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 100 ? value : undefined;
}

export function isEmptyDraft(draft: FlagDraft): boolean {
  return Object.keys(draft).length === 0;
}

/** Short chips describing a scope: "plans: business, enterprise", "3 tenants", "env: production". */
export function scopeChips(scope: FlagScope): { axis: FlagScopeAxis; label: string; title: string }[] {
  const chips: { axis: FlagScopeAxis; label: string; title: string }[] = [];
  const list = (values: string[], max = 2) =>
    values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')} +${values.length - max}`;
  if (scope.plans.length) chips.push({ axis: 'plans', label: `plans: ${list(scope.plans, 3)}`, title: `Plans: ${scope.plans.join(', ')}` });
  if (scope.tenantSlugs.length) {
    chips.push({
      axis: 'tenantSlugs',
      label: scope.tenantSlugs.length === 1 ? `tenant: ${scope.tenantSlugs[0]}` : `${scope.tenantSlugs.length} tenants`,
      title: `Tenants: ${scope.tenantSlugs.join(', ')}`,
    });
  }
  if (scope.partnerSlugs.length) {
    chips.push({
      axis: 'partnerSlugs',
      label: scope.partnerSlugs.length === 1 ? `partner: ${scope.partnerSlugs[0]}` : `${scope.partnerSlugs.length} partners`,
      title: `Partners: ${scope.partnerSlugs.join(', ')}`,
    });
  }
  if (scope.environments.length) chips.push({ axis: 'environments', label: `env: ${list(scope.environments)}`, title: `Environments: ${scope.environments.join(', ')}` });
  return chips;
}

const FIELD_LABELS: Record<string, string> = {
  description: 'Description',
  state: 'State',
  pct: 'Rollout',
  'scope.plans': 'Plans',
  'scope.tenantSlugs': 'Tenants',
  'scope.partnerSlugs': 'Partners',
  'scope.environments': 'Environments',
};

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

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const ABSOLUTE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

let ticking = false;
/**
 * The current time for relative dates: the server's during hydration (no mismatch), then the
 * browser's, refreshed every 30 seconds.
 */
export function useNow(): Ref<number> {
  const now = useState('operator-now', () => Date.now());
  onMounted(() => {
    now.value = Date.now();
    if (ticking) return;
    ticking = true;
    setInterval(() => {
      now.value = Date.now();
    }, 30_000);
  });
  return now;
}

/** "3 minutes ago", "yesterday", then a date. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return RELATIVE.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return RELATIVE.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return RELATIVE.format(Math.round(seconds / 86_400), 'day');
  return ABSOLUTE.format(new Date(iso));
}

export function absoluteTime(iso: string): string {
  return `${ABSOLUTE.format(new Date(iso))} UTC`;
}

/** "olivia@dezky.test" → "olivia". */
export function actorName(email: string): string {
  return email.split('@')[0] || email;
}

// How flags look on every screen: the colour and icon of each state, the names and icons of the
// scope axes, and a scope in a few chips.
import type { Flag, FlagScope, FlagScopeAxis, FlagState } from '@dezky/contracts';

/** GET /api/flags: every flag, and the ETag of the list. */
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

export const AXIS_LABELS: Record<FlagScopeAxis, string> = { plans: 'Plans', tenantSlugs: 'Tenants', partnerSlugs: 'Partners', environments: 'Environments' };

export const AXIS_ICONS: Record<FlagScopeAxis, string> = { plans: 'i-lucide-layers', tenantSlugs: 'i-lucide-building-2', partnerSlugs: 'i-lucide-handshake', environments: 'i-lucide-server' };

/** "rollout at 30%", "targeted": a flag's state with its percentage where it counts. */
export function stateWithPct(flag: Pick<Flag, 'state' | 'pct'>): string {
  return flag.state === 'rollout' ? `rollout at ${flag.pct}%` : flag.state;
}

/** Short chips describing a scope: "plans: business, enterprise", "3 tenants", "env: production". */
export function scopeChips(scope: FlagScope): { axis: FlagScopeAxis; label: string; title: string }[] {
  const chips: { axis: FlagScopeAxis; label: string; title: string }[] = [];
  const list = (values: string[], max = 2) =>
    values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')} +${values.length - max}`;
  /** "tenant: acme" for one, "3 tenants" for more. */
  const count = (values: string[], one: string) => (values.length === 1 ? `${one}: ${values[0]}` : `${values.length} ${one}s`);
  if (scope.plans.length) chips.push({ axis: 'plans', label: `plans: ${list(scope.plans, 3)}`, title: `Plans: ${scope.plans.join(', ')}` });
  if (scope.tenantSlugs.length) chips.push({ axis: 'tenantSlugs', label: count(scope.tenantSlugs, 'tenant'), title: `Tenants: ${scope.tenantSlugs.join(', ')}` });
  if (scope.partnerSlugs.length) chips.push({ axis: 'partnerSlugs', label: count(scope.partnerSlugs, 'partner'), title: `Partners: ${scope.partnerSlugs.join(', ')}` });
  if (scope.environments.length) chips.push({ axis: 'environments', label: `env: ${list(scope.environments)}`, title: `Environments: ${scope.environments.join(', ')}` });
  return chips;
}

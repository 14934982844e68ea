// Labels and formats of the portal's pages (plans, statuses, prices, dates, integrations).
// Icon names live in the components: the icon bundler only scans .vue files.
import { CURRENCY, type ProvisioningStateName } from '@dezky/contracts';

type BadgeColor = 'primary' | 'secondary' | 'success' | 'info' | 'warning' | 'error' | 'neutral';

const PLAN_LABELS: Record<string, string> = { starter: 'Starter', business: 'Business', enterprise: 'Enterprise' };

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

export function planLabel(plan: string): string {
  return PLAN_LABELS[plan] ?? capitalize(plan);
}

/** Integer cents as money, e.g. 3600 → "€36.00". */
export function formatPrice(cents: number, currency: string = CURRENCY): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(cents / 100);
}

/** A date as "12 Mar 2026" (UTC: the same on the server and in the browser). */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A date and time as "12 Mar 2026, 14:05 UTC". */
export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const text = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(date);
  return `${text} UTC`;
}

export function tenantStatusMeta(status: string): { label: string; color: BadgeColor } {
  return status === 'active' ? { label: 'Active', color: 'success' } : { label: capitalize(status), color: 'warning' };
}

export function subscriptionStatusMeta(status: string): { label: string; color: BadgeColor } {
  switch (status) {
    case 'active':
      return { label: 'Active', color: 'success' };
    case 'trialing':
      return { label: 'Trial', color: 'info' };
    case 'canceled':
      return { label: 'Canceled', color: 'neutral' };
    default:
      return { label: capitalize(status), color: 'neutral' };
  }
}

export function roleLabel(role: string | null | undefined): string {
  if (role === 'owner') return 'Owner';
  if (role === 'member') return 'Member';
  return 'No role';
}

const INTEGRATIONS: Record<string, { label: string; description: string }> = {
  authentik: { label: 'Identity', description: 'Sign-in group for your team (Authentik)' },
};

export function integrationMeta(name: string): { label: string; description: string } {
  return INTEGRATIONS[name] ?? { label: capitalize(name.replace(/[-_]+/g, ' ')), description: name };
}

export function provisioningStateMeta(state: ProvisioningStateName | string): { label: string; color: BadgeColor } {
  switch (state) {
    case 'ok':
      return { label: 'Ready', color: 'success' };
    case 'error':
      return { label: 'Error', color: 'error' };
    case 'pending':
      return { label: 'Pending', color: 'info' };
    case 'skipped':
      return { label: 'Skipped', color: 'neutral' };
    default:
      return { label: capitalize(state), color: 'neutral' };
  }
}

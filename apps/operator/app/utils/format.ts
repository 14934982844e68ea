// Display helpers of the partner, tenant and audit pages (the `-` prefix keeps Nuxt from
// registering this file as a component). Dates are shown in UTC so the server's rendering and
// the browser's hydration always agree.
import type { PartnerStatus, Plan, ProvisioningStateName, SubscriptionStatus, TenantStatus } from '@dezky/contracts';

type BadgeColor = 'primary' | 'secondary' | 'success' | 'info' | 'warning' | 'error' | 'neutral';

const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** Integer cents → "€1,234.50". */
export function formatCents(cents: number | null | undefined, currency = 'EUR'): string {
  if (cents === null || cents === undefined || !Number.isFinite(cents)) return '—';
  const format = currency === 'EUR' ? euros : new Intl.NumberFormat('en-IE', { style: 'currency', currency });
  return format.format(cents / 100);
}

/** ISO timestamp → "12 Nov 2026, 14:03 UTC". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
}

/** ISO timestamp → "12 Nov 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** "3 minutes ago", "in 2 days"; for display after mount only (it depends on the clock). */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  if (abs < 365 * 86_400) return rtf.format(Math.round(seconds / (30 * 86_400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86_400)), 'year');
}

export function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

export const PLAN_COLORS: Record<Plan, BadgeColor> = { starter: 'neutral', business: 'info', enterprise: 'primary' };
export const TENANT_STATUS_COLORS: Record<TenantStatus, BadgeColor> = { active: 'success', suspended: 'warning' };
export const PARTNER_STATUS_COLORS: Record<PartnerStatus, BadgeColor> = { active: 'success', terminated: 'error' };
export const SUBSCRIPTION_STATUS_COLORS: Record<SubscriptionStatus, BadgeColor> = { trialing: 'info', active: 'success', canceled: 'neutral' };
export const PROVISIONING_COLORS: Record<ProvisioningStateName, BadgeColor> = { ok: 'success', error: 'error', pending: 'warning', skipped: 'neutral' };

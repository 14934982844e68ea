// How the flag screens word a flag's usage: why it is potentially stale, and its evaluations.
import type { FlagStaleness, FlagUsage } from '@dezky/contracts';

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "12 Oct", or "12 Oct 2025" when not this year. */
export function shortDate(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  return (date.getUTCFullYear() === new Date(now).getUTCFullYear() ? DAY_MONTH : DAY_MONTH_YEAR).format(date);
}

const FINAL: Record<Extract<FlagStaleness, { reason: 'final' }>['state'], string> = {
  on: 'On for everyone',
  off: 'Off for everyone',
  'full-rollout': 'At 100% for everyone',
};

/** Why a flag is potentially stale, and what to do about it, in one sentence. */
export function staleSentence(stale: FlagStaleness, staleAfterDays: number, now = Date.now()): string {
  if (stale.reason === 'final') {
    const what = stale.state === 'off' ? 'remove the code behind it, then delete it' : 'remove it from the code, then delete it';
    return `${FINAL[stale.state]} since ${shortDate(stale.since, now)}: ${what}.`;
  }
  if (stale.since === null) return `Not evaluated once in ${staleAfterDays} days: check whether any code still reads it, then delete it.`;
  return `Not evaluated since ${shortDate(stale.since, now)}: check whether any code still reads it, then delete it.`;
}

/** The short label of a stale reason, for badges. */
export function staleLabel(stale: FlagStaleness): string {
  return stale.reason === 'final' ? 'Potentially stale: final state' : 'Potentially stale: unused';
}

/** "1,234 evaluations in 14 days · about 88 a day" (no average under one a day). */
export function usageSummary(usage: Pick<FlagUsage, 'daily'>): string {
  const total = usage.daily.reduce((sum, n) => sum + n, 0);
  const perDay = Math.round(total / usage.daily.length);
  return `${count(total)} evaluation${total === 1 ? '' : 's'} in ${usage.daily.length} days${total >= usage.daily.length ? ` · about ${count(perDay)} a day` : ''}`;
}

/** "1,234" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

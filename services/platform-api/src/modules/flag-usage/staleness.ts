import type { Flag, FlagStaleness } from '@dezky/contracts';
import { DAY_MS } from '../flags/evaluation-counter';

/** The final state a flag rests in, when it rests in one: nothing left to decide per tenant. */
export function finalState(flag: Pick<Flag, 'state' | 'pct' | 'scope'>): 'off' | 'on' | 'full-rollout' | null {
  if (flag.state === 'off' || flag.state === 'on') return flag.state;
  if (flag.state === 'rollout' && flag.pct === 100 && Object.values(flag.scope).every((values) => values.length === 0)) return 'full-rollout';
  return null;
}

/**
 * Whether a flag is potentially stale at `now`: unchanged for `days` in a final state, or not
 * evaluated for `days` (never, for a flag created at least that long ago). The final state is
 * named first: it says what to do (remove the code, then the flag).
 */
export function staleness(
  flag: Pick<Flag, 'state' | 'pct' | 'scope' | 'createdAt' | 'updatedAt'>,
  lastEvaluatedAt: number | null,
  now: number,
  days: number,
): FlagStaleness | null {
  const limit = days * DAY_MS;
  const final = finalState(flag);
  const changedAt = Date.parse(flag.updatedAt);
  if (final && now - changedAt >= limit) return { reason: 'final', state: final, since: flag.updatedAt };
  if (lastEvaluatedAt === null) return now - Date.parse(flag.createdAt) >= limit ? { reason: 'unevaluated', since: null } : null;
  return now - lastEvaluatedAt >= limit ? { reason: 'unevaluated', since: new Date(lastEvaluatedAt).toISOString() } : null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The wait after each failed attempt: the schedule Standard Webhooks' reference service (Svix)
 * uses. With the first attempt right away, that is 8 attempts over about 27.5 hours, after which
 * a delivery is failed (an operator can still re-send it).
 */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each wait is stretched or shrunk by up to this fraction, so endpoints that failed together are not retried in lockstep. */
export const JITTER = 0.2;

/**
 * When the next attempt is due after `attempts` attempts have failed at `now`, or null when that
 * was the last one. `random` is in [0, 1).
 */
export function nextAttemptAt(attempts: number, now: number, random: number = Math.random()): number | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  if (delay === undefined) return null;
  return now + Math.round(delay * (1 - JITTER + 2 * JITTER * random));
}

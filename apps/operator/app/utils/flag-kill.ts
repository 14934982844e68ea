// What a kill switch turned off, read from the kill's own history entry.
import type { Flag } from '@dezky/contracts';

/** The flag as the kill switch found it: its state and pct from the kill's history entry (the scope is kept by a kill). */
export function flagBeforeKill(killed: Flag, shown: Flag): Flag {
  const entry = killed.history[0];
  if (!entry || killed.version === shown.version) return shown;
  const was = <T>(field: string, now: T): T => (field in entry.changes ? (entry.changes[field]!.from as T) : now);
  return { ...killed, state: was('state', killed.state), pct: was('pct', killed.pct) };
}

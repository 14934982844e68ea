// What a kill switch turned off, read from the kill's own history entry.
import type { Flag } from '@dezky/contracts';

/**
 * The flag as this kill switch found it, for its Undo: state and pct from the kill's history
 * entry (a kill keeps the scope). Undefined when this press changed nothing: the flag was off at
 * 0% already, as shown or because someone else (`me` is not the newest entry's actor) turned it
 * off in between. An Undo then would undo their change, so none is offered.
 */
export function flagBeforeKill(killed: Flag, shown: Flag, me: string | undefined): Flag | undefined {
  const entry = killed.history[0];
  if (!entry || killed.version === shown.version) return undefined;
  if (me !== undefined && entry.actor.toLowerCase() !== me.toLowerCase()) return undefined;
  if (entry.changes.state?.to !== 'off' && entry.changes.pct?.to !== 0) return undefined;
  const was = <T>(field: string, now: T): T => (field in entry.changes ? (entry.changes[field]!.from as T) : now);
  return { ...killed, state: was('state', killed.state), pct: was('pct', killed.pct) };
}

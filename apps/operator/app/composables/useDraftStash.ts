// The tab's kept draft (utils/flag-draft-stash.ts) in sessionStorage: written when the session
// ends during an edit, taken back once the flag is open again after signing in.
import type { StashedDraft } from '~/utils/flag-draft-stash';

export function useDraftStash() {
  function keep(stashed: StashedDraft) {
    try {
      sessionStorage.setItem(DRAFT_STASH_KEY, serialiseDraft(stashed));
    } catch {
      // Storage full or refused: the draft stays on screen only.
    }
  }

  function read(): string | null {
    try {
      return sessionStorage.getItem(DRAFT_STASH_KEY);
    } catch {
      return null;
    }
  }

  /** Forgets the kept draft if it is one of flag `key`. */
  function drop(key: string) {
    if (restoreDraft(read(), key)) sessionStorage.removeItem(DRAFT_STASH_KEY);
  }

  /** The kept draft of flag `key`, if there is one; it is no longer kept. */
  function take(key: string): StashedDraft | undefined {
    const stashed = restoreDraft(read(), key);
    if (stashed) sessionStorage.removeItem(DRAFT_STASH_KEY);
    return stashed;
  }

  return { keep, drop, take };
}

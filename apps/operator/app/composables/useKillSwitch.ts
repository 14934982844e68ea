// The kill switch of the flag panel: off and 0% in one request, with one Undo per kill, offered
// in a toast and in the panel's banner while the flag is still as the kill left it.
import type { ChangeRequest, ChangeRequestDraft, Flag, FlagDraft } from '@dezky/contracts';

/** A kill switch pressed here: the flag before and after, and the toast that offers its Undo. */
export interface FlagKill {
  before: Flag;
  killed: Flag;
  toastId?: string | number;
}

interface Panel {
  flag: Ref<Flag | undefined>;
  conflict: Ref<unknown>;
  dirty: Ref<boolean>;
  path: Ref<string>;
  patch: (body: FlagDraft, read: Pick<Flag, 'etag'>) => Promise<Flag>;
  /** Shows a flag as saved, its form without edits. */
  show: (flag: Flag) => void;
  /** A protected flag's change as a change request (useApprovalRequest). */
  requestApproval?: (flag: Pick<Flag, 'key' | 'etag'>, body: ChangeRequestDraft, what: string) => Promise<ChangeRequest | undefined>;
}

export function useKillSwitch({ flag, conflict, dirty, path, patch, show, requestApproval }: Panel) {
  const { api } = useSessionEnd();
  const { user } = useUserSession();
  const toast = useToast();
  const killing = ref(false);
  const undoing = ref(false);
  /** The last kill switch from this panel; undoing from the banner or the toast withdraws the other. */
  const lastKill = ref<FlagKill>();
  const canUndoKill = computed(() => !!lastKill.value && flag.value?.etag === lastKill.value.killed.etag);
  const canKill = computed(() => !!flag.value && !(flag.value.state === 'off' && flag.value.pct === 0));

  /** A kill or its undo failed: in a toast, unless the session ended (the panel says so). */
  function failed(title: string, description: string, error: unknown, retry: () => unknown) {
    if (isSessionEnded(error)) return;
    toast.add({ title, description, color: 'error', icon: 'i-lucide-circle-alert', actions: retryActions(error, retry) });
  }

  /** Undo of a kill switch: restores state, pct and scope as they were, if nobody changed the flag since. */
  async function undoKill(kill: FlagKill) {
    if (undoing.value) return;
    undoing.value = true;
    const { before, killed } = kill;
    if (killed.protected && requestApproval) {
      // The kill switch bypassed approval; restoring what it turned off does not.
      const request = await requestApproval(killed, { state: before.state, pct: before.pct, scope: before.scope }, 'Restoring it');
      if (request && kill.toastId !== undefined) toast.remove(kill.toastId);
      if (request && lastKill.value?.killed.etag === killed.etag) lastKill.value = undefined;
      undoing.value = false;
      return;
    }
    try {
      const restored = await patch({ state: before.state, pct: before.pct, scope: before.scope }, killed);
      if (kill.toastId !== undefined) toast.remove(kill.toastId);
      toast.add({ title: `${restored.key} restored`, description: `Back to ${stateWithPct(restored)}.`, color: 'success', icon: 'i-lucide-undo-2' });
      if (lastKill.value?.killed.etag === killed.etag) lastKill.value = undefined;
      if (flag.value?.key === restored.key && !dirty.value) show(restored);
    } catch (error) {
      const changedSince = apiErrorStatus(error) === 412;
      failed(
        changedSince ? 'Undo refused' : 'Undo failed',
        changedSince ? 'The flag was changed again after the kill switch; review it before restoring anything.' : apiErrorMessage(error, 'The flag could not be restored.'),
        error,
        () => undoKill(kill),
      );
    } finally {
      undoing.value = false;
      refreshNuxtData('flags-list');
    }
  }

  /**
   * Kill switch: off and 0% in one request, on the flag as it is now (the API's kill route never
   * stops at a conflict). What it was before is read from the kill's own history entry, so an
   * Undo restores that, even when someone changed the flag after this panel read it; a press
   * that changed nothing (someone else killed it first) offers no Undo.
   */
  async function kill() {
    if (!flag.value || killing.value) return;
    killing.value = true;
    const hadEdits = dirty.value;
    try {
      const killed = await api<Flag>(`${path.value}/kill`, { method: 'POST' });
      const before = flagBeforeKill(killed, flag.value, user.value?.email);
      show(killed);
      conflict.value = undefined;
      if (!before) {
        // Nothing to undo here: someone else's kill (or change) came first.
        const last = killed.history[0];
        toast.add({
          title: `${killed.key} was already off for every tenant`,
          description: last ? `Last changed by ${last.actor}; nothing to undo from here.` : 'Nothing to undo from here.',
          color: 'warning',
          icon: 'i-lucide-power',
        });
        refreshNuxtData('flags-list');
        return;
      }
      const record: FlagKill = { before, killed };
      record.toastId = toast.add({
        title: `${killed.key} is off for every tenant`,
        description: `Kill switch: was ${stateWithPct(before)}.${hadEdits ? ' Your unsaved edits were discarded.' : ''}`,
        color: 'warning',
        icon: 'i-lucide-power',
        duration: 15_000,
        actions: [{ label: 'Undo', icon: 'i-lucide-undo-2', color: 'neutral', variant: 'outline', onClick: () => undoKill(record) }],
      }).id;
      lastKill.value = record;
      refreshNuxtData('flags-list');
    } catch (error) {
      failed('Kill switch failed', apiErrorMessage(error, 'The flag could not be turned off.'), error, kill);
    } finally {
      killing.value = false;
    }
  }

  return { kill, undoKill, killing, undoing, lastKill, canKill, canUndoKill };
}


// The flag panel's flag and its draft: loading the flag, the form, what Save sends (only what
// changed, with If-Match: the ETag of the flag as loaded), a refused save (412) shown beside the
// newer version until you choose, and a draft kept across the end of a session.
import { FLAG_KEY_PATTERN, type Flag, type FlagDraft } from '@dezky/contracts';

/** Set when a save met 412: the newer flag, not applied until Reload. */
export interface FlagConflict {
  message: string;
  latest?: Flag;
}

export function useFlagDraft(flagKey: () => string, dirty: Ref<boolean>) {
  const { api, ended } = useSessionEnd();
  const stash = useDraftStash();
  const toast = useToast();

  const flag = ref<Flag>();
  const form = ref<FlagForm>();
  const loading = ref(true);
  const loadError = ref<{ status?: number; message: string }>();
  const saving = ref(false);
  const conflict = ref<FlagConflict>();
  /** Set when the draft on screen was kept across the end of a session: the version it was made on. */
  const restored = ref<{ version: number }>();

  const path = computed(() => `/api/flags/${encodeURIComponent(flagKey())}`);

  /** Shows `shown` as saved, its form without edits. */
  function show(shown: Flag) {
    flag.value = shown;
    form.value = formOf(shown);
  }

  async function load() {
    loading.value = true;
    loadError.value = undefined;
    if (!FLAG_KEY_PATTERN.test(flagKey())) {
      // An address no flag can have (/flags/Not-A-Key): no flag, without asking the server.
      loadError.value = { status: 404, message: `There is no flag ${flagKey()}.` };
      loading.value = false;
      return;
    }
    try {
      const loaded = await api<Flag>(path.value);
      const kept = stash.take(flagKey());
      if (kept) {
        // The draft comes back on the flag it was made against: Save sends that flag's ETag, so a
        // change made meanwhile is refused (412) and shown, never overwritten.
        const base = kept.flag.etag === loaded.etag ? loaded : kept.flag;
        flag.value = base;
        form.value = formWithDraft(base, kept.draft);
        restored.value = { version: base.version };
      } else {
        show(loaded);
      }
      conflict.value = undefined;
    } catch (error) {
      loadError.value = { status: apiErrorStatus(error), message: apiErrorMessage(error, 'The flag could not be loaded.') };
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  const draft = computed<FlagDraft>(() => (flag.value && form.value ? draftOf(flag.value, form.value) : {}));
  /** The draft as the impact preview needs it: the description plays no part. */
  const impactDraft = computed<FlagDraft>(() => {
    const { description: _description, ...rest } = draft.value;
    return rest;
  });
  watchEffect(() => {
    dirty.value = !isEmptyDraft(draft.value);
  });
  const descriptionInvalid = computed(() => !!form.value && (!form.value.description.trim() || form.value.description.length > 500));

  // The session ended with edits on screen: they are kept for after signing in, as they change.
  watch(
    [ended, draft],
    () => {
      if (ended.value && flag.value && !isEmptyDraft(draft.value)) stash.keep({ flag: flag.value, draft: draft.value });
    },
    { deep: true },
  );

  /** A change conditional on the flag being still as `read` was (its ETag as If-Match). */
  function patch(body: FlagDraft, read: Pick<Flag, 'etag'>): Promise<Flag> {
    return api<Flag>(path.value, { method: 'PATCH', body, headers: { 'if-match': read.etag } });
  }

  /** A save failed: a conflict is shown beside the newer version, an ended session by the panel, the rest in a toast. */
  function notSaved(error: unknown, retry: () => unknown) {
    if (apiErrorStatus(error) === 412) refused(error);
    else if (!isSessionEnded(error)) {
      toast.add({ title: 'Not saved', description: apiErrorMessage(error, 'The flag could not be saved.'), color: 'error', icon: 'i-lucide-circle-alert', actions: retryActions(error, retry) });
    }
  }

  /** Sends the draft under the ETag of `read`; `said` words the toast of the saved flag. */
  async function send(read: Flag, said: (saved: Flag, sent: FlagDraft) => string, retry: () => unknown) {
    if (!flag.value) return;
    saving.value = true;
    const sent = draft.value;
    try {
      const saved = await patch(sent, read);
      show(saved);
      conflict.value = undefined;
      restored.value = undefined;
      toast.add({ title: `${saved.key} saved`, description: said(saved, sent), color: 'success', icon: 'i-lucide-circle-check' });
      refreshNuxtData('flags-list');
    } catch (error) {
      notSaved(error, retry);
    } finally {
      saving.value = false;
    }
  }

  /** Save (the caller checks that it may): the draft under the loaded flag's ETag. */
  async function save() {
    if (flag.value) await send(flag.value, (saved, sent) => `Changed ${changedSummary(sent)} (version ${saved.version}).`, save);
  }

  /** A save met 412: show theirs beside yours (nothing is applied until you choose), and let the list catch up. */
  function refused(error: unknown) {
    conflict.value = { message: apiErrorMessage(error) };
    refreshNuxtData('flags-list');
    api<Flag>(path.value).then(
      (latest) => {
        if (conflict.value) conflict.value = { ...conflict.value, latest };
      },
      () => undefined,
    );
  }

  /** "Apply my changes on top of theirs": the same changes, as a new PATCH under the newer version's ETag. */
  async function applyMineOnTop() {
    const latest = conflict.value?.latest;
    if (!latest) return;
    await send(
      latest,
      (saved, sent) => `Your changes (${changedSummary(sent)}) are applied on top of version ${latest.version}: now version ${saved.version}.`,
      applyMineOnTop,
    );
  }

  async function reload() {
    await load();
    restored.value = undefined;
    if (!loadError.value) toast.add({ title: 'Flag reloaded', description: 'You now see the latest version. Apply your change again if it is still needed.', icon: 'i-lucide-refresh-cw' });
  }

  function discard() {
    if (flag.value) form.value = formOf(flag.value);
    restored.value = undefined;
  }

  /** Set once the page is being left for the sign-in. */
  let leaving = false;
  // Closing the panel (or leaving the page) without signing in discards a kept draft too.
  onBeforeUnmount(() => {
    if (!leaving) stash.drop(flagKey());
  });
  /** The page is being left for the sign-in: the kept draft is for when it comes back. */
  function keepForSignIn() {
    leaving = true;
    if (flag.value && !isEmptyDraft(draft.value)) stash.keep({ flag: flag.value, draft: draft.value });
    dirty.value = false;
  }

  return { flag, form, loading, loadError, load, saving, conflict, restored, path, draft, impactDraft, descriptionInvalid, patch, show, save, applyMineOnTop, reload, discard, keepForSignIn };
}

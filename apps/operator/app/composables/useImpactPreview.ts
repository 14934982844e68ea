// "N of M tenants" under a draft, from POST /api/flags/:key/impact (the API's evaluator over every
// tenant), recomputed 250 ms after the draft last changed, with the lists of tenants that gain and
// lose the flag loaded 100 at a time.
import { IMPACT_PAGE_LIMIT, type FlagDraft, type FlagImpact, type ImpactList } from '@dezky/contracts';

const DEBOUNCE_MS = 250;

export function useImpactPreview(props: { flagKey: string; draft: FlagDraft; version: number }) {
  const { api } = useSessionEnd();
  const impact = ref<FlagImpact>();
  const status = ref<'pending' | 'ready' | 'error'>('pending');
  const failure = ref<string>();
  /** Whether computing again may well succeed (no answer, or a server failure). */
  const retryable = ref(false);
  /** The draft the shown numbers were computed for (JSON). */
  const computedFor = ref<string>();
  /** Slugs of each list loaded so far for `computedFor` (the first page comes with the counts). */
  const slugs = reactive<Record<ImpactList, string[]>>({ gained: [], lost: [] });
  const loadingMore = ref<ImpactList>();
  const moreFailure = ref<string>();

  const draftJson = computed(() => JSON.stringify(props.draft));
  const impactPath = computed(() => `/api/flags/${encodeURIComponent(props.flagKey)}/impact`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let request = 0;

  function ask(json: string, page?: { list: ImpactList; offset: number }) {
    return api<FlagImpact>(impactPath.value, { method: 'POST', body: JSON.parse(json), query: page && { ...page, limit: IMPACT_PAGE_LIMIT } });
  }

  async function compute(json: string) {
    const current = ++request;
    try {
      const result = await ask(json);
      if (current !== request) return;
      impact.value = result;
      slugs.gained = result.gained;
      slugs.lost = result.lost;
      moreFailure.value = undefined;
      computedFor.value = json;
      status.value = 'ready';
      failure.value = undefined;
    } catch (error) {
      if (current !== request) return;
      status.value = 'error';
      failure.value = apiErrorMessage(error, 'The preview could not be computed.');
      retryable.value = isRetryable(error);
    }
  }

  function retry() {
    status.value = 'pending';
    compute(draftJson.value);
  }

  /** The next page of one list, for the draft the numbers on screen were computed for. */
  async function loadMore(list: ImpactList) {
    const json = computedFor.value;
    const shown = impact.value;
    if (!json || !shown || loadingMore.value) return;
    const current = request;
    loadingMore.value = list;
    moreFailure.value = undefined;
    try {
      const page = await ask(json, { list, offset: slugs[list].length });
      if (current !== request || computedFor.value !== json) return;
      if (page.gainedCount !== shown.gainedCount || page.lostCount !== shown.lostCount) {
        // The tenants changed meanwhile: start again from fresh counts rather than mix two answers.
        status.value = 'pending';
        await compute(json);
        return;
      }
      slugs[list] = [...slugs[list], ...page[list]];
    } catch (error) {
      if (current === request) moreFailure.value = apiErrorMessage(error, 'More tenants could not be loaded.');
    } finally {
      loadingMore.value = undefined;
    }
  }

  watch(
    [draftJson, () => props.version, () => props.flagKey],
    ([json], previous) => {
      clearTimeout(timer);
      status.value = 'pending';
      request++;
      // The first computation (panel opened) runs at once; edits wait for the user to pause.
      timer = setTimeout(() => compute(json), previous ? DEBOUNCE_MS : 0);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => clearTimeout(timer));

  const share = computed(() => (impact.value && impact.value.total ? Math.round((impact.value.after / impact.value.total) * 100) : 0));
  const delta = computed(() => (impact.value ? impact.value.after - impact.value.before : 0));
  const changed = computed(() => draftJson.value !== '{}');

  return { impact, status, failure, retryable, computedFor, slugs, loadingMore, moreFailure, share, delta, changed, retry, loadMore };
}

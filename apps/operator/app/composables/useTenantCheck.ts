// "Check a tenant" in the flag panel: why the saved flag is on or off for one tenant
// (GET /api/flags/:key/explain), asked again whenever the flag gets a new version.
import type { FlagExplanation } from '@dezky/contracts';

type Explained = FlagExplanation & { context?: ExplanationContext };

export function useTenantCheck(flagKey: () => string, version: () => number | undefined) {
  const { api } = useSessionEnd();
  const tenants = useTenantSearch(10);
  const slug = ref<string>();
  const explanation = ref<Explained>();
  const failure = ref<string>();
  const explaining = ref(false);

  watch([slug, version], async ([tenant]) => {
    explanation.value = undefined;
    failure.value = undefined;
    if (!tenant) return;
    explaining.value = true;
    try {
      explanation.value = await api<Explained>(`/api/flags/${encodeURIComponent(flagKey())}/explain`, { query: { tenant } });
    } catch (error) {
      failure.value = apiErrorMessage(error, 'No explanation available.');
    } finally {
      explaining.value = false;
    }
  });

  const items = computed(() => tenants.results.value.map((t) => ({ label: t.slug, value: t.slug, description: t.name })));
  const text = computed(() => (explanation.value ? explanationText(explanation.value, explanation.value.context) : undefined));

  return { term: tenants.term, items, slug, explanation, text, failure, explaining };
}

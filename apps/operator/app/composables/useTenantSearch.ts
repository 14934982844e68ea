// Tenants found on the server as someone types (GET /api/tenants?search=), 200 ms after the last
// key; the answer to an older term never replaces a newer one.
import type { Page, Tenant } from '@dezky/contracts';

export function useTenantSearch(limit: number) {
  const { api } = useSessionEnd();
  const term = ref('');
  const results = ref<Tenant[]>([]);
  /** The term the results were found for; until the search answers they may be filtered locally. */
  const resultsTerm = ref('');
  const loading = ref(false);
  const failed = ref(false);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function search(typed: string) {
    const current = ++request;
    loading.value = true;
    try {
      const page = await api<Page<Tenant>>('/api/tenants', { query: { search: typed.trim() || undefined, limit } });
      if (current !== request) return;
      results.value = page.items;
      resultsTerm.value = typed;
      failed.value = false;
    } catch {
      if (current === request) failed.value = true;
    } finally {
      if (current === request) loading.value = false;
    }
  }
  watch(term, (typed) => {
    clearTimeout(timer);
    timer = setTimeout(() => search(typed), 200);
  });
  onMounted(() => search(''));
  onBeforeUnmount(() => clearTimeout(timer));

  return { term, results, resultsTerm, loading, failed };
}

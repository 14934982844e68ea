/** The value of a list filter that filters nothing; it stays out of the address. */
export const ALL_FILTER = 'all';

/**
 * The state of a paged, filtered list page, kept in its address so a reload or a shared link
 * shows the same list: a search applied after a pause in typing, select filters (each either one
 * of `values`, or any text for `'any'`), and the page, back to 1 whenever a filter changes.
 * `query` is what the list's server route takes: `search`, each filter that is set, `limit`, `offset`.
 */
export function useListPage<K extends string>(pageSize: number, filterValues: Record<K, readonly string[] | 'any'>) {
  const route = useRoute();
  const router = useRouter();
  const first = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const names = Object.keys(filterValues) as K[];
  const initial = (name: K) => {
    const given = first(route.query[name]);
    const allowed = filterValues[name];
    return (allowed === 'any' ? given : allowed.find((v) => v === given)) ?? ALL_FILTER;
  };

  const search = ref(first(route.query.search) ?? '');
  const appliedSearch = ref(search.value.trim());
  const filters = Object.fromEntries(names.map((name) => [name, ref(initial(name))])) as Record<K, Ref<string>>;
  const page = ref(Math.max(1, Number(first(route.query.page)) || 1));

  // The search waits for a pause in typing.
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      appliedSearch.value = value.trim();
    }, 250);
  });

  const setFilters = () => Object.fromEntries(names.filter((name) => filters[name].value !== ALL_FILTER).map((name) => [name, filters[name].value]));
  watch([appliedSearch, ...names.map((name) => filters[name])], () => {
    page.value = 1;
  });
  watch([appliedSearch, page, ...names.map((name) => filters[name])], () => {
    router.replace({
      query: {
        ...(appliedSearch.value ? { search: appliedSearch.value } : {}),
        ...setFilters(),
        ...(page.value > 1 ? { page: String(page.value) } : {}),
      },
    });
  });

  const query = computed(() => ({
    search: appliedSearch.value || undefined,
    ...setFilters(),
    limit: pageSize,
    offset: (page.value - 1) * pageSize,
  }));
  const filtered = computed(() => Boolean(appliedSearch.value) || names.some((name) => filters[name].value !== ALL_FILTER));

  function clear() {
    search.value = '';
    appliedSearch.value = '';
    for (const name of names) filters[name].value = ALL_FILTER;
  }

  return { search, filters, page, query, filtered, clear };
}

import type { MaybeRefOrGetter } from 'vue';

/** Every flag evaluated for one tenant: `{ [flagKey]: boolean }` (`EvaluatedFlags` of @dezky/contracts). */
export type FeatureFlagValues = Record<string, boolean>;

export interface UseFeatureFlagsOptions {
  /**
   * The app's server route that relays the platform API's `POST /flags/evaluate` with the body
   * `{ tenantSlug }`. Defaults to `/api/flags/evaluate` (the portal's route).
   */
  endpoint?: string;
  /** Re-evaluate when the tab becomes visible or the window regains focus (default true). */
  revalidateOnFocus?: boolean;
}

/** Focus and visibilitychange often fire together: revalidate at most once in this window. */
const REVALIDATE_MIN_INTERVAL_MS = 2_000;

/**
 * The feature flags evaluated for a tenant, the ONE way pages gate features:
 *
 * ```ts
 * const { isEnabled } = await useFeatureFlags(() => route.params.slug as string);
 * // <GdprExportCard v-if="isEnabled('gdpr_export_v2')" />
 * ```
 *
 * - Fetched during server rendering (useAsyncData), keyed per tenant (`feature-flags:<slug>`):
 *   components asking for the same tenant share one request and one state, and switching
 *   tenants fetches that tenant's flags.
 * - Revalidated when the tab becomes visible again or the window regains focus, so a flag an
 *   operator turned on or off shows up without a reload.
 * - Fails closed: while loading, on an error, or for an unknown key, a flag is off.
 *
 * Returns the state at once and is also awaitable (like useFetch) to block until the first
 * evaluation is in. Call it in `<script setup>` before the first `await` (it registers the focus
 * listeners on the component), or outside components without them.
 */
export function useFeatureFlags(tenantSlug: MaybeRefOrGetter<string>, options: UseFeatureFlagsOptions = {}) {
  const endpoint = options.endpoint ?? '/api/flags/evaluate';
  const nuxtApp = useNuxtApp();
  const slug = computed(() => toValue(tenantSlug));

  const asyncData = useAsyncData<FeatureFlagValues>(
    () => `feature-flags:${slug.value}`,
    (_nuxtApp, { signal }) =>
      (nuxtApp.$api as typeof $fetch)<FeatureFlagValues>(endpoint, { method: 'POST', body: { tenantSlug: slug.value }, signal }),
    { default: () => ({}), dedupe: 'defer' },
  );

  const flags = computed<FeatureFlagValues>(() => asyncData.data.value ?? {});
  /** Whether `key` is on for this tenant (false while unknown). */
  const isEnabled = (key: string): boolean => flags.value[key] === true;

  let lastRevalidation = 0;
  /** Re-evaluates now unless a revalidation just happened; keeps the current flags meanwhile. */
  async function revalidate(): Promise<void> {
    const now = Date.now();
    if (now - lastRevalidation < REVALIDATE_MIN_INTERVAL_MS || !slug.value) return;
    lastRevalidation = now;
    await asyncData.refresh();
  }

  if (import.meta.client && options.revalidateOnFocus !== false && getCurrentInstance()) {
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void revalidate();
    };
    const onFocus = () => void revalidate();
    onMounted(() => {
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('focus', onFocus);
    });
    onBeforeUnmount(() => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
    });
  }

  const state = {
    flags,
    isEnabled,
    status: asyncData.status,
    pending: asyncData.pending,
    error: asyncData.error,
    /** Re-evaluates now. */
    refresh: () => asyncData.refresh(),
    revalidate,
  };
  return Object.assign(
    asyncData.then(() => state),
    state,
  );
}

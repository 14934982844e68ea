import type { MaybeRefOrGetter } from 'vue';

/** Every flag evaluated for one tenant: `{ [flagKey]: boolean }` (`EvaluatedFlags` of @dezky/contracts). */
export type FeatureFlagValues = Record<string, boolean>;

/**
 * The push channel of `useFeatureFlags` (with `liveEndpoint`): `off` (not asked for, or on the
 * server), `connecting` (opening, or the browser reconnecting by itself), `open`, `paused` (the
 * tab has been hidden too long; reopens when visible) or `retrying` (the route refused the
 * stream; tried again later).
 */
export type FeatureFlagsLiveStatus = 'off' | 'connecting' | 'open' | 'paused' | 'retrying';

export interface UseFeatureFlagsOptions {
  /**
   * The app's server route that relays the platform API's `POST /flags/evaluate` with the body
   * `{ tenantSlug }`. Defaults to `/api/flags/evaluate` (the portal's route).
   */
  endpoint?: string;
  /** Re-evaluate when the tab becomes visible or the window regains focus (default true). */
  revalidateOnFocus?: boolean;
  /**
   * The app's server route streaming the tenant's flag-change notifications (`text/event-stream`
   * with OFREP `refetchEvaluation` events), for a tenant slug, e.g.
   * `(slug) => \`/api/tenants/${slug}/flag-events\``. When set, the browser keeps an EventSource
   * on it while the calling component is mounted and re-evaluates on each notification. Off by
   * default; pass it from one component per page (each caller opens its own stream).
   */
  liveEndpoint?: (tenantSlug: string) => string;
  /**
   * Close the stream once the tab has been hidden this long, and reopen it (re-evaluating) when
   * the tab is visible again. Default 120 s, the inactivityDelaySec the API advertises.
   */
  liveInactivityMs?: number;
}

/** Focus and visibilitychange often fire together: revalidate at most once in this window. */
const REVALIDATE_MIN_INTERVAL_MS = 2_000;
/** OFREP's inactivityDelaySec of the platform API's event streams. */
const LIVE_INACTIVITY_MS = 120_000;
/** Reopening a stream the server refused: first after this, doubling up to the maximum. */
const LIVE_RETRY_MIN_MS = 5_000;
const LIVE_RETRY_MAX_MS = 60_000;

/** Whether an event-stream message asks to evaluate again (OFREP `refetchEvaluation`). */
function isRefetchEvaluation(data: unknown): boolean {
  if (typeof data !== 'string') return false;
  try {
    const message = JSON.parse(data) as { type?: unknown } | null;
    return message?.type === 'refetchEvaluation';
  } catch {
    return false;
  }
}

/**
 * `run` at most once at a time: a call while it runs makes it run once more afterwards (the run
 * in flight may have started before whatever prompted the call), and every such call shares it.
 */
function coalesced(run: () => Promise<unknown>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  let again = false;
  return () => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}

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
 * - With `liveEndpoint`, pushed: in the browser, an EventSource on that route while the
 *   component is mounted; each change notification re-evaluates (one request in flight at a
 *   time), and so does each (re)connection, which covers what changed while it was not connected.
 *   Closed on unmount and after the tab has been hidden for `liveInactivityMs`.
 * - Revalidated when the tab becomes visible again or the window regains focus, so a flag an
 *   operator turned on or off shows up without a reload even without the push channel.
 * - Fails closed: while loading, on an error, or for an unknown key, a flag is off.
 *
 * Returns the state at once and is also awaitable (like useFetch) to block until the first
 * evaluation is in. Call it in `<script setup>` before the first `await` (it registers the focus
 * listeners and the stream on the component), or outside components without them.
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

  /**
   * Re-evaluates, keeping the current flags meanwhile. A request started before the call may
   * predate the change that prompted it: it is replaced ('cancel'), never reused.
   */
  const reevaluate = coalesced(async () => {
    if (slug.value) await asyncData.refresh({ dedupe: 'cancel' });
  });

  let lastRevalidation = 0;
  /** Re-evaluates now unless a revalidation just happened; keeps the current flags meanwhile. */
  async function revalidate(): Promise<void> {
    const now = Date.now();
    if (now - lastRevalidation < REVALIDATE_MIN_INTERVAL_MS || !slug.value) return;
    lastRevalidation = now;
    await reevaluate();
  }

  const live = ref<FeatureFlagsLiveStatus>('off');
  const instance = getCurrentInstance();

  if (import.meta.client && options.revalidateOnFocus !== false && instance) {
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

  const liveEndpoint = options.liveEndpoint;
  if (import.meta.client && liveEndpoint && instance) {
    const inactivityMs = options.liveInactivityMs ?? LIVE_INACTIVITY_MS;
    let mounted = false;
    let source: EventSource | undefined;
    let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = LIVE_RETRY_MIN_MS;

    const disconnect = () => {
      clearTimeout(retryTimer);
      retryTimer = undefined;
      source?.close();
      source = undefined;
    };

    const connect = () => {
      disconnect();
      if (!mounted || !slug.value) return;
      const es = new EventSource(liveEndpoint(slug.value));
      source = es;
      live.value = 'connecting';
      es.onopen = () => {
        if (source !== es) return;
        live.value = 'open';
        retryDelay = LIVE_RETRY_MIN_MS;
        void reevaluate();
      };
      es.onmessage = (message) => {
        if (source === es && isRefetchEvaluation(message.data)) void reevaluate();
      };
      es.onerror = () => {
        if (source !== es) return;
        if (es.readyState !== EventSource.CLOSED) {
          // The stream ended or broke: the browser reconnects by itself (its `open` re-evaluates).
          live.value = 'connecting';
          return;
        }
        // The route answered something other than a stream (401, 404, 502): the browser gives up.
        disconnect();
        live.value = 'retrying';
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, LIVE_RETRY_MAX_MS);
      };
    };

    const onVisibility = () => {
      clearTimeout(hiddenTimer);
      hiddenTimer = undefined;
      if (document.visibilityState === 'hidden') {
        hiddenTimer = setTimeout(() => {
          if (document.visibilityState !== 'hidden') return;
          disconnect();
          live.value = 'paused';
        }, inactivityMs);
      } else if (live.value === 'paused') {
        connect();
      }
    };

    onMounted(() => {
      mounted = true;
      connect();
      document.addEventListener('visibilitychange', onVisibility);
      if (document.visibilityState === 'hidden') onVisibility();
    });
    onBeforeUnmount(() => {
      mounted = false;
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(hiddenTimer);
      disconnect();
      live.value = 'off';
    });
    // Another tenant: its own stream (a paused one reopens for it when the tab is visible).
    watch(slug, () => {
      if (mounted && live.value !== 'paused') connect();
    });
  }

  const state = {
    flags,
    isEnabled,
    status: asyncData.status,
    pending: asyncData.pending,
    error: asyncData.error,
    /** The push channel's state (`off` without `liveEndpoint`). */
    live: readonly(live),
    /** Re-evaluates now. */
    refresh: () => asyncData.refresh(),
    revalidate,
  };
  return Object.assign(
    asyncData.then(() => state),
    state,
  );
}

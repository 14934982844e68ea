import type { UseFetchOptions } from 'nuxt/app';

/** `useFetch` for the app's own server routes, through `$api` (cookies, 401 → /login). */
export function useApi<T>(url: string | (() => string), options: UseFetchOptions<T> = {}) {
  return useFetch(url, { ...options, $fetch: useNuxtApp().$api as typeof $fetch });
}

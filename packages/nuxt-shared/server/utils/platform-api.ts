import type { H3Event } from 'h3';

/**
 * Base URL of the Dezky platform API for server-side calls (server-only runtime config,
 * overridable with NUXT_PLATFORM_API_URL). The API client will be built on top of this.
 */
export function platformApiBaseUrl(event: H3Event): string {
  return useRuntimeConfig(event).platformApiUrl.replace(/\/+$/, '');
}

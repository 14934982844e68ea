// What the portal's routes answer for route parameters that name nothing the user may see; the
// parameters, bodies and queries themselves are read with the layer's input helper
// (packages/nuxt-shared/server/utils/input.ts). A tenant slug reaches an upstream URL only
// validated and encoded.
import type { H3Event } from 'h3';

/** The `:slug` route parameter as a valid tenant slug, encoded; 404 like the API otherwise. */
export function tenantSlugPathSegment(event: H3Event): string {
  return slugSegment(event, () => TENANT_NOT_FOUND_MESSAGE);
}

/** The `:domain` route parameter, shape-checked and encoded; one that cannot be a domain names none of the tenant's: 404. */
export function domainPathSegment(event: H3Event): string {
  return domainSegment(event, () => 'This tenant has no such domain');
}

// POST /api/tenants/:slug/domains/:domain/verify → platform API POST
// /tenants/:slug/domains/:domain/verify: looks for the domain's TXT record now, and answers the
// TenantDomain, verified once the record is there. 422 with the API's message while the record
// is missing; 409 once another tenant has verified the domain.
import type { TenantDomain } from '@dezky/contracts';

export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);
  const domain = domainPathSegment(event);
  return platformApi<TenantDomain>(event, `/tenants/${slug}/domains/${domain}/verify`, { method: 'POST' });
});

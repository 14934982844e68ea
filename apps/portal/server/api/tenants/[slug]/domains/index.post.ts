// POST /api/tenants/:slug/domains → platform API POST /tenants/:slug/domains: claims a domain for
// the tenant. Answers the TenantDomain (201), pending, with the TXT record that verifies it. 400
// naming a domain the API cannot normalise; 409 when the tenant has it already or another tenant
// has verified it; 404 for non-members.
import type { TenantDomain } from '@dezky/contracts';
import { z } from 'zod';

const body = z.object({ domain: domainNameSchema });

export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);
  const input = await validBody(event, body);
  const domain = await platformApi<TenantDomain>(event, `/tenants/${slug}/domains`, { method: 'POST', body: input });
  setResponseStatus(event, 201);
  return domain;
});

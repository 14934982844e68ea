// POST /api/tenants/:slug/domains/:domain/mark-verified → platform API POST
// /tenants/:slug/domains/:domain/mark-verified (operators only): verifies a pending domain by hand,
// without its DNS record, and answers the TenantDomain. Idempotent; audited by the API. 409 when
// another tenant has verified the domain.
import type { TenantDomain } from '@dezky/contracts';

export default defineEventHandler((event) =>
  platformApi<TenantDomain>(event, `/tenants/${slugSegment(event)}/domains/${domainSegment(event)}/mark-verified`, { method: 'POST' }),
);

// GET /api/tenants → platform API GET /tenants (operators see every tenant).
// Query: search, partner (slug), status, plan, limit (1-100), offset.
import { PLANS, SEARCH_MAX, SLUG_MAX, TENANT_STATUSES, type Page, type Tenant } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object({
  search: z.string().max(SEARCH_MAX).optional(),
  partner: z.string().max(SLUG_MAX).optional(),
  status: z.enum(TENANT_STATUSES).optional(),
  plan: z.enum(PLANS).optional(),
  ...pageQueryShape,
});

export default defineEventHandler(async (event) => {
  await requirePlatformAdmin(event);
  return platformApi<Page<Tenant>>(event, '/tenants', { query: validQuery(event, query) });
});

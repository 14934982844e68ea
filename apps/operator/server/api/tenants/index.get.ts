// GET /api/tenants → platform API GET /tenants (operators see every tenant).
// Query: search, partner (slug), status, plan, limit (1-100), offset.
import type { Page, Tenant } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object({
  search: z.string().max(100).optional(),
  partner: z.string().max(40).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  plan: z.enum(['starter', 'business', 'enterprise']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export default defineEventHandler(async (event) => {
  await requirePlatformAdmin(event);
  const q = await getValidatedQuery(event, (raw) => query.parse(raw));
  return platformApi<Page<Tenant>>(event, '/tenants', { query: q });
});

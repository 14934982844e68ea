// GET /api/tenants/:slug/flags → the tenant's flags, each with its value and why.
// Platform API: GET /tenants/:slug/flags (one call, from the evaluator that serves the tenant).
import type { TenantFlag } from '@dezky/contracts';

export default defineEventHandler(async (event): Promise<{ items: TenantFlag[] }> => {
  const slug = slugParam(event);
  const answer = await platformApi<{ items: TenantFlag[] }>(event, `/tenants/${slug}/flags`);
  setResponseHeader(event, 'cache-control', 'private, no-store');
  return { items: [...answer.items].sort((a, b) => naturalCompare(a.key, b.key)) };
});

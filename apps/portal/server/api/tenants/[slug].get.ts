// GET /api/tenants/:slug → platform API GET /tenants/:slug (the caller's role included). 404 for
// a tenant that does not exist and for one the user does not belong to, alike.
import type { TenantDetail } from '@dezky/contracts';

export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);
  return platformApi<TenantDetail>(event, `/tenants/${slug}`);
});

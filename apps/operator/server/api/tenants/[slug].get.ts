// GET /api/tenants/:slug → platform API GET /tenants/:slug: the tenant with its subscription.
import type { TenantDetail } from '@dezky/contracts';

export default defineEventHandler(async (event) => {
  await requirePlatformAdmin(event);
  return platformApi<TenantDetail>(event, `/tenants/${slugSegment(event)}`);
});

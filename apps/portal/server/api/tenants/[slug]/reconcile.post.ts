// POST /api/tenants/:slug/reconcile → platform API POST /tenants/:slug/reconcile: re-runs the
// tenant's provisioning and answers `{ provisioning }`. The owner only (403 with the API's
// message for a member), 404 for non-members.
import type { ProvisioningState } from '@dezky/contracts';

export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);
  return platformApi<{ provisioning: Record<string, ProvisioningState> }>(event, `/tenants/${slug}/reconcile`, { method: 'POST' });
});

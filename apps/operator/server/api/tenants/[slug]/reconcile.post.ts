// POST /api/tenants/:slug/reconcile → platform API POST /tenants/:slug/reconcile: re-runs the
// tenant's provisioning in every integration and answers the per-integration states.
import type { ProvisioningState } from '@dezky/contracts';

export default defineEventHandler((event) =>
  platformApi<{ provisioning: Record<string, ProvisioningState> }>(event, `/tenants/${slugSegment(event)}/reconcile`, { method: 'POST' }),
);

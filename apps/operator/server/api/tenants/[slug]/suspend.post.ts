// POST /api/tenants/:slug/suspend → platform API POST /tenants/:slug/suspend (idempotent).
import type { TenantDetail } from '@dezky/contracts';

export default defineEventHandler((event) =>
  platformApi<TenantDetail>(event, `/tenants/${slugSegment(event)}/suspend`, { method: 'POST' }),
);

// POST /api/tenants/:slug/resume → platform API POST /tenants/:slug/resume (idempotent).
import type { TenantDetail } from '@dezky/contracts';

export default defineEventHandler((event) =>
  platformApi<TenantDetail>(event, `/tenants/${slugSegment(event)}/resume`, { method: 'POST' }),
);

// POST /api/tenants/:slug/flags/impact → platform API POST /tenants/:slug/flags/impact (operators
// only): which flags a change of the tenant's plan or partner would give or take, with the reasons
// before and after. Changes nothing.
import { PLANS, type TenantChangeImpact } from '@dezky/contracts';
import { z } from 'zod';

const body = z
  .strictObject({ plan: z.enum(PLANS).optional(), partnerId: objectIdSchema.nullable().optional() })
  .refine((b) => b.plan !== undefined || b.partnerId !== undefined, 'send a plan or a partnerId to preview');

export default defineEventHandler(async (event) => {
  const slug = slugParam(event);
  const change = compact(await validBody(event, body));
  return platformApi<TenantChangeImpact>(event, `/tenants/${slug}/flags/impact`, { method: 'POST', body: change });
});

// PATCH /api/tenants/:slug → platform API PATCH /tenants/:slug (operators only). Any of name, plan,
// domains (replaces them; [] removes all) and partnerId (a partner's id attaches, null detaches).
// 409 when a domain belongs to another tenant or the partner is terminated.
import { PLANS, type TenantDetail } from '@dezky/contracts';
import { z } from 'zod';
import { compact, hostnameSchema, objectIdSchema, slugSegment, validBody } from './-validate';

const body = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    plan: z.enum(PLANS).optional(),
    domains: z
      .array(hostnameSchema)
      .max(50, 'must hold at most 50 domains')
      .refine((list) => new Set(list).size === list.length, 'must not repeat a domain')
      .optional(),
    partnerId: objectIdSchema.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one of name, plan, domains, partnerId');

export default defineEventHandler(async (event) => {
  const slug = slugSegment(event);
  const changes = compact(await validBody(event, body));
  return platformApi<TenantDetail>(event, `/tenants/${slug}`, { method: 'PATCH', body: changes });
});

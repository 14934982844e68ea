// PATCH /api/tenants/:slug → platform API PATCH /tenants/:slug (operators only). Any of name, plan,
// domains (replaces them, kept ones keep their status and new ones start pending; [] removes all)
// and partnerId (a partner's id attaches, null detaches). 409 when another tenant has verified a
// domain or the partner is terminated; 400 naming a domain the API cannot normalise.
import { MAX_TENANT_DOMAINS, NAME_EMPTY_MESSAGE, NAME_MAX, PLANS, type TenantDetail } from '@dezky/contracts';
import { z } from 'zod';

const body = z
  .strictObject({
    name: z.string().trim().min(1, NAME_EMPTY_MESSAGE).max(NAME_MAX).optional(),
    plan: z.enum(PLANS).optional(),
    domains: z
      .array(domainNameSchema)
      .max(MAX_TENANT_DOMAINS, `must hold at most ${MAX_TENANT_DOMAINS} domains`)
      .refine((list) => new Set(list.map((d) => d.toLowerCase())).size === list.length, 'must not repeat a domain')
      .optional(),
    partnerId: objectIdSchema.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one of name, plan, domains, partnerId');

export default defineEventHandler(async (event) => {
  const slug = slugSegment(event);
  const changes = compact(await validBody(event, body));
  return platformApi<TenantDetail>(event, `/tenants/${slug}`, { method: 'PATCH', body: changes });
});

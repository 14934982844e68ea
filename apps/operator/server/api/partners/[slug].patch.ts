// PATCH /api/partners/:slug → platform API PATCH /partners/:slug. Any of name, domain, marginPct,
// contactInfo, billingInfo; a given contact or billing card replaces the whole card.
import type { PartnerWithStats } from '@dezky/contracts';
import { updatePartnerSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const slug = slugSegment(event);
  const { contactInfo, billingInfo, ...rest } = await validBody(event, updatePartnerSchema);
  const body = {
    ...compact(rest),
    ...(contactInfo ? { contactInfo: compact(contactInfo) } : {}),
    ...(billingInfo ? { billingInfo: compact(billingInfo) } : {}),
  };
  return platformApi<PartnerWithStats>(event, `/partners/${slug}`, { method: 'PATCH', body });
});

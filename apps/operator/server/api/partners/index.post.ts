// POST /api/partners → platform API POST /partners (operators only). 409 when the slug is taken.
import type { PartnerWithStats } from '@dezky/contracts';
import { createPartnerSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const { contactInfo, billingInfo, ...rest } = await validBody(event, createPartnerSchema);
  const body = {
    ...rest,
    ...(contactInfo ? { contactInfo: compact(contactInfo) } : {}),
    ...(billingInfo ? { billingInfo: compact(billingInfo) } : {}),
  };
  setResponseStatus(event, 201);
  return platformApi<PartnerWithStats>(event, '/partners', { method: 'POST', body });
});

// POST /api/tenants → platform API POST /tenants. The signed-in user becomes the owner, a trial
// subscription starts and provisioning runs; answers the TenantDetail (201) with the result of
// each integration. 409 when the slug is taken.
import { NAME_EMPTY_MESSAGE, NAME_MAX, PLANS, type TenantDetail } from '@dezky/contracts';
import { z } from 'zod';

const body = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, NAME_EMPTY_MESSAGE).max(NAME_MAX, `must be at most ${NAME_MAX} characters`),
  plan: z.enum(PLANS).optional(),
});

export default defineEventHandler(async (event) => {
  // Signed in first: a visitor without a session learns nothing about the input's shape.
  await requireUserSession(event);
  const input = await validBody(event, body);
  const tenant = await platformApi<TenantDetail>(event, '/tenants', { method: 'POST', body: input });
  setResponseStatus(event, 201);
  return tenant;
});

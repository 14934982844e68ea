// POST /api/webhooks → platform API POST /webhooks. The answer carries the signing secret, the one time it is shown.
import type { WebhookWithSecret } from '@dezky/contracts';
import { createWebhookSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const body = compact(await validBody(event, createWebhookSchema));
  setResponseStatus(event, 201);
  return platformApi<WebhookWithSecret>(event, '/webhooks', { method: 'POST', body });
});

// PATCH /api/webhooks/:id → platform API PATCH /webhooks/:id: any of url, events, enabled, description.
import type { Webhook } from '@dezky/contracts';
import { idSegment, updateWebhookSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const id = idSegment(event);
  const body = compact(await validBody(event, updateWebhookSchema));
  return platformApi<Webhook>(event, `/webhooks/${id}`, { method: 'PATCH', body });
});

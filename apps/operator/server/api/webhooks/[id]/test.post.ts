// POST /api/webhooks/:id/test → platform API POST /webhooks/:id/test: a webhook.test message, sent now; the delivery after it.
import type { WebhookDelivery } from '@dezky/contracts';
import { idSegment } from '../-schema';

export default defineEventHandler((event) => platformApi<WebhookDelivery>(event, `/webhooks/${idSegment(event)}/test`, { method: 'POST' }));

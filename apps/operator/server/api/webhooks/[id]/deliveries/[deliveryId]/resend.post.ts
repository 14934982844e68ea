// POST /api/webhooks/:id/deliveries/:deliveryId/resend → the platform API's re-send: an attempt now, same webhook-id.
import type { WebhookDelivery } from '@dezky/contracts';
import { idSegment } from '../../../-schema';

export default defineEventHandler((event) =>
  platformApi<WebhookDelivery>(event, `/webhooks/${idSegment(event)}/deliveries/${idSegment(event, 'deliveryId')}/resend`, { method: 'POST' }),
);

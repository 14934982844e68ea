// GET /api/webhooks/:id/deliveries → platform API GET /webhooks/:id/deliveries: newest first. Query: limit (1-100), offset.
import type { Page, WebhookDelivery } from '@dezky/contracts';
import { z } from 'zod';
import { idSegment } from '../-schema';

const query = z.object(pageQueryShape);

export default defineEventHandler((event) =>
  platformApi<Page<WebhookDelivery>>(event, `/webhooks/${idSegment(event)}/deliveries`, { query: validQuery(event, query) }),
);

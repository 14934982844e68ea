// POST /api/webhooks/:id/rotate-secret → platform API POST /webhooks/:id/rotate-secret: the new secret, shown this once.
import type { WebhookWithSecret } from '@dezky/contracts';
import { idSegment } from '../-schema';

export default defineEventHandler((event) => platformApi<WebhookWithSecret>(event, `/webhooks/${idSegment(event)}/rotate-secret`, { method: 'POST' }));

// GET /api/webhooks/:id → platform API GET /webhooks/:id.
import type { Webhook } from '@dezky/contracts';
import { idSegment } from './-schema';

export default defineEventHandler((event) => platformApi<Webhook>(event, `/webhooks/${idSegment(event)}`));

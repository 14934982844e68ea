// GET /api/webhooks → platform API GET /webhooks (operators only): endpoints, newest first, each with its latest delivery.
import type { Page, Webhook } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object(pageQueryShape);

export default defineEventHandler((event) => platformApi<Page<Webhook>>(event, '/webhooks', { query: validQuery(event, query) }));

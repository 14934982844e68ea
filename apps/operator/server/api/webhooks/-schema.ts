// Bodies and parameters of the webhook routes, mirroring the platform API's CreateWebhookDto /
// UpdateWebhookDto. Whether an endpoint's address may be called (https, public addresses) is the
// API's to say: its 400 names the reason and reaches the form as is.
import {
  OBJECT_ID_PATTERN,
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_EVENT_MESSAGE,
  WEBHOOK_EVENT_PATTERN,
  WEBHOOK_EVENTS_MAX,
  WEBHOOK_URL_MAX,
} from '@dezky/contracts';
import { createError, getRouterParam, type H3Event } from 'h3';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, error: 'url must be an absolute https URL' }).max(WEBHOOK_URL_MAX);
const events = z
  .array(z.string().regex(WEBHOOK_EVENT_PATTERN, WEBHOOK_EVENT_MESSAGE))
  .min(1, 'events must name at least one event')
  .max(WEBHOOK_EVENTS_MAX);
const description = z.string().trim().max(WEBHOOK_DESCRIPTION_MAX);

export const createWebhookSchema = z.strictObject({ url, events, enabled: z.boolean().optional(), description: description.optional() });

export const updateWebhookSchema = z
  .strictObject({ url: url.optional(), events: events.optional(), enabled: z.boolean().optional(), description: description.optional() })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'send at least one of url, events, enabled, description');

/** The route's `:id` (or `name`), an id the API could have handed out, as one path segment; 404 otherwise. */
export function idSegment(event: H3Event, name = 'id'): string {
  const id = getRouterParam(event, name) ?? '';
  if (!OBJECT_ID_PATTERN.test(id)) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `No webhook is named ${quoted(id)}` });
  return id;
}

// The webhook form's rules and the delivery log's words: the limits and patterns of
// @dezky/contracts that the platform API's CreateWebhookDto checks, so mistakes show on the
// field before anything is sent. Whether an address may be called is the API's to say.
import {
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_EVENT_PATTERN,
  WEBHOOK_EVENT_PATTERNS,
  WEBHOOK_EVENTS,
  WEBHOOK_EVENTS_MAX,
  WEBHOOK_URL_MAX,
  type Webhook,
  type WebhookDeliveryStatus,
} from '@dezky/contracts';
import { z } from 'zod';

export interface WebhookForm {
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
}

export const webhookFormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Enter the URL deliveries are sent to')
    .max(WEBHOOK_URL_MAX, `At most ${WEBHOOK_URL_MAX} characters`)
    .refine((v) => !v || isHttpUrl(v), 'Enter an https URL such as https://hooks.example.com/dezky'),
  events: z
    .array(z.string().regex(WEBHOOK_EVENT_PATTERN, 'Not a flag event'))
    .min(1, 'Pick at least one event')
    .max(WEBHOOK_EVENTS_MAX, `At most ${WEBHOOK_EVENTS_MAX} events`),
  description: z.string().max(WEBHOOK_DESCRIPTION_MAX, `At most ${WEBHOOK_DESCRIPTION_MAX} characters`),
  enabled: z.boolean(),
});

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A new endpoint's form: every flag event, enabled. */
export function blankWebhookForm(): WebhookForm {
  return { url: '', events: ['flag.*'], description: '', enabled: true };
}

export function webhookFormOf(webhook: Webhook): WebhookForm {
  return { url: webhook.url, events: [...webhook.events], description: webhook.description, enabled: webhook.enabled };
}

/** The host of an endpoint's URL, as breadcrumbs and titles name it. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What the form sends: trimmed, each event once. */
export function webhookBody(form: WebhookForm): WebhookForm {
  return { url: form.url.trim(), events: [...new Set(form.events)], description: form.description.trim(), enabled: form.enabled };
}

const EVENT_LABELS: Record<string, string> = {
  'flag.*': 'Every flag change',
  'flag.schedule_*': 'Every scheduled change',
  'flag.change_request_*': 'Every change request event',
  'flag.create': 'Flag created',
  'flag.update': 'Flag changed',
  'flag.revert': 'Flag reverted',
  'flag.delete': 'Flag deleted',
  'flag.kill': 'Kill switch',
  'flag.schedule_step': 'Scheduled step executed',
  'flag.change_request_approve': 'Change request approved',
};

/** The events the picker offers: the patterns first, then each known event. */
export const WEBHOOK_EVENT_ITEMS = [...WEBHOOK_EVENT_PATTERNS, ...WEBHOOK_EVENTS].map((value) => ({ value, label: EVENT_LABELS[value] ?? value }));

/** An endpoint's events in a few words: "Every flag change", or the names. */
export function describeEvents(events: readonly string[]): string {
  if (events.includes('flag.*')) return 'Every flag change';
  return events.join(', ');
}

export const DELIVERY_STATUS_COLORS: Record<WebhookDeliveryStatus, 'success' | 'warning' | 'error'> = { delivered: 'success', pending: 'warning', failed: 'error' };

/** How a delivery's status reads in the log: "Retrying" for a pending one that failed before. */
export function deliveryStatusLabel(status: WebhookDeliveryStatus, attempts: number): string {
  if (status === 'pending') return attempts > 0 ? 'Retrying' : 'Queued';
  return status === 'delivered' ? 'Delivered' : 'Failed';
}

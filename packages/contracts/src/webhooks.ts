/**
 * Outgoing webhooks: endpoints operators register to be told of every audited change of a flag,
 * signed as the Standard Webhooks specification says (https://www.standardwebhooks.com).
 */

/**
 * The flag events the platform sends, as the operator app offers them. Each is the audit action
 * of the change (`type` of the payload). Other `flag.*` actions reach endpoints whose patterns
 * match them too.
 */
export const WEBHOOK_EVENTS = [
  'flag.create',
  'flag.update',
  'flag.revert',
  'flag.delete',
  'flag.kill',
  'flag.schedule_step',
  'flag.change_request_approve',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Patterns an endpoint can subscribe to: every action whose name starts with what precedes `*`. */
export const WEBHOOK_EVENT_PATTERNS = ['flag.*', 'flag.schedule_*', 'flag.change_request_*'] as const;

/**
 * One entry of an endpoint's `events`: an exact flag action (`flag.update`) or a prefix followed
 * by `*` (`flag.*`, `flag.schedule_*`).
 */
export const WEBHOOK_EVENT_PATTERN = /^flag\.(\*|[a-z][a-z_]{0,62}[a-z]|[a-z][a-z_]{0,62}_\*)$/;
export const WEBHOOK_EVENT_MESSAGE = 'must be a flag action (flag.update) or a prefix ending in * (flag.*, flag.schedule_*)';
export const WEBHOOK_EVENTS_MAX = 32;
export const WEBHOOK_URL_MAX = 2048;
export const WEBHOOK_DESCRIPTION_MAX = 200;

/** The payload event of `POST /webhooks/:id/test`: sent to that endpoint only. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The latest delivery to an endpoint, as its list shows it. */
export interface WebhookLastDelivery {
  status: WebhookDeliveryStatus;
  event: string;
  at: string;
  lastError: string | null;
}

/** A registered endpoint. Its signing secret is never part of it (see WebhookWithSecret). */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** null until something was queued for it. */
  lastDelivery: WebhookLastDelivery | null;
}

/** The answer to creating an endpoint and to rotating its secret: the only ones that carry it. */
export interface WebhookWithSecret extends Webhook {
  /** `whsec_` + base64 of 32 random bytes; shown once. */
  secret: string;
}

/** The body of every delivery. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: { flag: string; actor: string; before: unknown; after: unknown } | { webhook: string; actor: string };
}

/** One message to one endpoint and its attempts. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  /** The `webhook-id` header: the same on every attempt, for receivers to deduplicate. */
  messageId: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due; null once delivered or given up. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** The last failed attempt's HTTP status (`HTTP 500`) or network reason (`timeout`); null after a success. */
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { WEBHOOK_TEST_EVENT, type Page, type Webhook, type WebhookDelivery, type WebhookPayload, type WebhookWithSecret } from '@dezky/contracts';
import { Clock } from '../../common/clock';
import { BadRequestError, NotFoundError } from '../../common/errors/domain-errors';
import type { Actor } from '../auth/actor';
import { WriteRecorder, type AuditedWrite } from '../writes/write-recorder';
import { DeliveriesRepository, type QueuedDelivery } from './deliveries.repository';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { RefusedTarget, WebhookTargets } from './webhook-target';
import { WebhookWorker } from './webhook-worker';
import { WebhooksRepository, type StoredWebhook } from './webhooks.repository';

/** Whether an endpoint's `events` take `action`: an exact name, or a prefix followed by `*`. */
export function subscribes(events: readonly string[], action: string): boolean {
  return events.some((e) => (e.endsWith('*') ? action.startsWith(e.slice(0, -1)) : e === action));
}

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The delivery as answers show it: without the body it sends. */
function viewOf(delivery: QueuedDelivery): WebhookDelivery {
  const { payload: _payload, ...view } = delivery;
  return view;
}

@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly targets: WebhookTargets,
    private readonly worker: WebhookWorker,
    private readonly writes: WriteRecorder,
    private readonly clock: Clock,
  ) {}

  /** Every audited write of a flag queues a delivery to each enabled endpoint that takes its action. */
  onModuleInit(): void {
    this.writes.onWrite((write) => this.queueFor(write));
  }

  async list(q: { limit: number; offset: number }): Promise<Page<Webhook>> {
    const page = await this.webhooks.list(q);
    return { ...page, items: await this.withLastDelivery(page.items), limit: q.limit, offset: q.offset };
  }

  async get(id: string): Promise<Webhook> {
    const [webhook] = await this.withLastDelivery([await this.require(id)]);
    return webhook!;
  }

  async create(actor: Actor, dto: CreateWebhookDto): Promise<WebhookWithSecret> {
    await this.checkUrl(dto.url);
    const secret = newSecret();
    const stored = await this.webhooks.create({ url: dto.url, events: unique(dto.events), enabled: dto.enabled ?? true, description: dto.description ?? '', secret });
    const webhook: Webhook = { ...stored, lastDelivery: null };
    await this.writes.recordWrite({ actor, action: 'webhook.create', target: { type: 'webhook', id: webhook.id }, before: null, after: stored });
    return { ...webhook, secret };
  }

  async update(actor: Actor, id: string, dto: UpdateWebhookDto): Promise<Webhook> {
    const set = Object.fromEntries(Object.entries({ ...dto, events: dto.events && unique(dto.events) }).filter(([, v]) => v !== undefined));
    if (!Object.keys(set).length) throw new BadRequestError('Nothing to change: send at least one of url, events, enabled, description');
    const before = await this.require(id);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const after = await this.webhooks.update(id, set);
    if (!after) throw notFound(id);
    await this.writes.recordWrite({ actor, action: 'webhook.update', target: { type: 'webhook', id }, before, after });
    return this.get(id);
  }

  /** Removes the endpoint and its delivery log; what was queued for it is never sent. */
  async remove(actor: Actor, id: string): Promise<void> {
    const removed = await this.webhooks.remove(id);
    if (!removed) throw notFound(id);
    await this.deliveries.removeOfWebhook(id);
    await this.writes.recordWrite({ actor, action: 'webhook.delete', target: { type: 'webhook', id }, before: removed, after: null });
  }

  /** A new secret from now on; deliveries already queued are signed with it too. */
  async rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecret> {
    const before = await this.require(id);
    const secret = newSecret();
    const after = await this.webhooks.setSecret(id, secret);
    if (!after) throw notFound(id);
    await this.writes.recordWrite({ actor, action: 'webhook.rotate_secret', target: { type: 'webhook', id }, before, after });
    return { ...(await this.get(id)), secret };
  }

  async deliveriesOf(id: string, q: { limit: number; offset: number }): Promise<Page<WebhookDelivery>> {
    await this.require(id);
    const page = await this.deliveries.ofWebhook(id, q);
    return { items: page.items.map(viewOf), total: page.total, limit: q.limit, offset: q.offset };
  }

  /** Attempts the delivery again now, with the same `webhook-id`; the delivery after that attempt. */
  async resend(id: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.require(id);
    const due = await this.deliveries.resend(id, deliveryId, new Date(this.clock.now()));
    if (!due) throw new NotFoundError(`Delivery ${JSON.stringify(deliveryId.slice(0, 40))} of webhook ${id} not found`);
    return viewOf((await this.worker.attempt(due.id)) ?? due);
  }

  /** Sends a `webhook.test` message to this endpoint alone, now; the delivery after that attempt. */
  async test(actor: Actor, id: string): Promise<WebhookDelivery> {
    await this.require(id);
    const now = this.clock.now();
    const payload: WebhookPayload = { type: WEBHOOK_TEST_EVENT, timestamp: new Date(now).toISOString(), data: { webhook: id, actor: actor.email } };
    const [queued] = await this.deliveries.enqueue([{ webhookId: id, messageId: messageId(), event: WEBHOOK_TEST_EVENT, payload: JSON.stringify(payload) }], new Date(now));
    return viewOf((await this.worker.attempt(queued!.id)) ?? queued!);
  }

  private async queueFor(write: AuditedWrite): Promise<void> {
    if (write.target.type !== 'flag') return;
    const endpoints = (await this.webhooks.enabledEndpoints()).filter((w) => subscribes(w.events, write.action));
    if (!endpoints.length) return;
    const now = this.clock.now();
    const payload: WebhookPayload = {
      type: write.action,
      timestamp: new Date(now).toISOString(),
      data: { flag: write.target.id, actor: write.actor.email, before: write.before ?? null, after: write.after ?? null },
    };
    const body = JSON.stringify(payload);
    await this.deliveries.enqueue(
      endpoints.map((w) => ({ webhookId: w.id, messageId: messageId(), event: write.action, payload: body })),
      new Date(now),
    );
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.targets.check(url);
    } catch (error) {
      if (error instanceof RefusedTarget) throw new BadRequestError(error.reason);
      throw error;
    }
  }

  private async require(id: string): Promise<StoredWebhook> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw notFound(id);
    return webhook;
  }

  private async withLastDelivery(webhooks: StoredWebhook[]): Promise<Webhook[]> {
    const latest = await this.deliveries.latestOf(webhooks.map((w) => w.id));
    return webhooks.map((w) => ({ ...w, lastDelivery: latest.get(w.id) ?? null }));
  }
}

/** Standard Webhooks' message ids: `msg_` and something unique. */
function messageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

function unique(events: string[]): string[] {
  return [...new Set(events)];
}

function notFound(id: string) {
  return new NotFoundError(`Webhook ${JSON.stringify(id.slice(0, 40))} not found`);
}

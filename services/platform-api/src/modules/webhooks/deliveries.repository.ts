import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { WebhookDelivery as DeliveryDto, WebhookLastDelivery } from '@dezky/contracts';
import mongoose, { Model } from 'mongoose';
import { Repository, type Page } from '../../common/mongo/repository';
import { idOf, isObjectIdHex, type Lean } from '../../common/mongo/to-plain';
import { WebhookDelivery } from './webhook-delivery.schema';

/** A delivery with the body it sends. */
export type QueuedDelivery = DeliveryDto & { payload: string };

export interface NewDelivery {
  webhookId: string;
  messageId: string;
  event: string;
  payload: string;
}

/** How an attempt leaves a delivery. */
export interface AttemptOutcome {
  status: DeliveryDto['status'];
  attemptedAt: Date;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function toPlain(doc: Lean<WebhookDelivery>): QueuedDelivery {
  return {
    id: idOf(doc),
    webhookId: doc.webhookId,
    messageId: doc.messageId,
    event: doc.event,
    status: doc.status,
    attempts: doc.attempts,
    nextAttemptAt: iso(doc.nextAttemptAt),
    lastAttemptAt: iso(doc.lastAttemptAt),
    lastError: doc.lastError ?? null,
    deliveredAt: iso(doc.deliveredAt),
    createdAt: (doc.createdAt ?? new Date(0)).toISOString(),
    payload: doc.payload,
  };
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

@Injectable()
export class DeliveriesRepository extends Repository<WebhookDelivery, QueuedDelivery> {
  constructor(@InjectModel(WebhookDelivery.name) deliveries: Model<WebhookDelivery>) {
    super(deliveries, toPlain);
  }

  /** Queues each delivery, due at `now`. */
  async enqueue(deliveries: NewDelivery[], now: Date): Promise<QueuedDelivery[]> {
    if (!deliveries.length) return [];
    const docs = await this.model.insertMany(deliveries.map((d) => ({ ...d, status: 'pending', attempts: 0, nextAttemptAt: now })));
    return docs.map((d) => toPlain(d.toObject() as Lean<WebhookDelivery>));
  }

  ofWebhook(webhookId: string, q: { limit: number; offset: number }): Promise<Page<QueuedDelivery>> {
    return this.page({ webhookId }, NEWEST_FIRST, q);
  }

  findOfWebhook(webhookId: string, id: string): Promise<QueuedDelivery | null> {
    return isObjectIdHex(id) ? this.one({ _id: new mongoose.Types.ObjectId(id), webhookId }) : Promise.resolve(null);
  }

  /** The latest delivery of each endpoint that has one. */
  async latestOf(webhookIds: string[]): Promise<Map<string, WebhookLastDelivery>> {
    const latest = await Promise.all(webhookIds.map((webhookId) => this.model.findOne({ webhookId }).sort(NEWEST_FIRST).lean<Lean<WebhookDelivery>>()));
    const found = new Map<string, WebhookLastDelivery>();
    for (const doc of latest) {
      if (!doc) continue;
      found.set(doc.webhookId, { status: doc.status, event: doc.event, at: (doc.lastAttemptAt ?? doc.createdAt ?? new Date(0)).toISOString(), lastError: doc.lastError ?? null });
    }
    return found;
  }

  /**
   * Takes the lease of one pending delivery that is due at `now` and that no live lease holds
   * (`id` given: that one only), in one conditional update, so that of several processes
   * exactly one gets it. Null when there is none to take.
   */
  claim(owner: string, now: Date, leaseUntil: Date, id?: string): Promise<QueuedDelivery | null> {
    if (id !== undefined && !isObjectIdHex(id)) return Promise.resolve(null);
    const filter = {
      ...(id !== undefined ? { _id: new mongoose.Types.ObjectId(id) } : {}),
      status: 'pending',
      nextAttemptAt: mongoose.trusted({ $lte: now }),
      $or: [{ leaseUntil: null }, { leaseUntil: mongoose.trusted({ $lte: now }) }],
    };
    return this.model
      .findOneAndUpdate(filter, { $set: { leaseOwner: owner, leaseUntil } }, { new: true, sort: { nextAttemptAt: 1 } })
      .lean<Lean<WebhookDelivery>>()
      .then((doc) => (doc ? toPlain(doc) : null));
  }

  /** Records an attempt and gives the lease back, if `owner` still holds it; the delivery after, or null when the lease was lost. */
  finish(id: string, owner: string, outcome: AttemptOutcome): Promise<QueuedDelivery | null> {
    return this.updated(
      { _id: new mongoose.Types.ObjectId(id), leaseOwner: owner },
      {
        $set: {
          status: outcome.status,
          lastAttemptAt: outcome.attemptedAt,
          nextAttemptAt: outcome.nextAttemptAt,
          lastError: outcome.lastError,
          ...(outcome.status === 'delivered' ? { deliveredAt: outcome.attemptedAt } : {}),
          leaseOwner: null,
          leaseUntil: null,
        },
        $inc: { attempts: 1 },
      },
    );
  }

  /** Due again at `now`, whatever its status: a re-send, with the same message id. */
  resend(webhookId: string, id: string, now: Date): Promise<QueuedDelivery | null> {
    if (!isObjectIdHex(id)) return Promise.resolve(null);
    return this.updated({ _id: new mongoose.Types.ObjectId(id), webhookId }, { $set: { status: 'pending', nextAttemptAt: now } });
  }

  async removeOfWebhook(webhookId: string): Promise<void> {
    await this.model.deleteMany({ webhookId });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Webhook } from '@dezky/contracts';
import mongoose, { Model } from 'mongoose';
import { Repository, type Page } from '../../common/mongo/repository';
import { idOf, isObjectIdHex, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { WebhookEndpoint } from './webhook.schema';

/** An endpoint as stored, without its secret (and without its latest delivery, which the deliveries hold). */
export type StoredWebhook = Omit<Webhook, 'lastDelivery'>;

/** What signing and sending a delivery needs of its endpoint. */
export interface SigningEndpoint {
  url: string;
  enabled: boolean;
  secret: string;
}

export interface NewWebhook {
  url: string;
  events: string[];
  enabled: boolean;
  description: string;
  secret: string;
}

function toPlain(doc: Lean<WebhookEndpoint>): StoredWebhook {
  return { id: idOf(doc), url: doc.url, events: [...doc.events], enabled: doc.enabled, description: doc.description ?? '', ...timestampsOf(doc) };
}

const byId = (id: string) => ({ _id: new mongoose.Types.ObjectId(id) });

@Injectable()
export class WebhooksRepository extends Repository<WebhookEndpoint, StoredWebhook> {
  constructor(@InjectModel(WebhookEndpoint.name) webhooks: Model<WebhookEndpoint>) {
    super(webhooks, toPlain);
  }

  create(webhook: NewWebhook): Promise<StoredWebhook> {
    return this.created({ ...webhook });
  }

  /** Newest first. */
  list(q: { limit: number; offset: number }): Promise<Page<StoredWebhook>> {
    return this.page({}, { createdAt: -1, _id: -1 }, q);
  }

  enabledEndpoints(): Promise<StoredWebhook[]> {
    return this.many({ enabled: true });
  }

  /** Changes the endpoint's fields (never its secret); null when there is no such endpoint. */
  update(id: string, set: Partial<Omit<NewWebhook, 'secret'>>): Promise<StoredWebhook | null> {
    return isObjectIdHex(id) ? this.updated(byId(id), { $set: set }) : Promise.resolve(null);
  }

  setSecret(id: string, secret: string): Promise<StoredWebhook | null> {
    return isObjectIdHex(id) ? this.updated(byId(id), { $set: { secret } }) : Promise.resolve(null);
  }

  async remove(id: string): Promise<StoredWebhook | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.model.findOneAndDelete(byId(id)).lean<Lean<WebhookEndpoint>>();
    return doc ? toPlain(doc) : null;
  }

  async signingEndpoint(id: string): Promise<SigningEndpoint | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.model.findOne(byId(id), { url: 1, enabled: 1, secret: 1 }).lean<Lean<WebhookEndpoint>>();
    return doc ? { url: doc.url, enabled: doc.enabled, secret: doc.secret } : null;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Plan, Subscription as SubscriptionDto, SubscriptionStatus } from '@dezky/contracts';
import mongoose, { Model, Types } from 'mongoose';
import { idOf, type Lean } from '../../common/mongo/to-plain';
import { Subscription } from './subscription.schema';

function toDto(doc: Lean<Subscription>): SubscriptionDto {
  return {
    id: idOf(doc),
    tenantId: doc.tenantId.toHexString(),
    plan: doc.plan,
    status: doc.status,
    seats: doc.seats,
    monthlyPrice: doc.monthlyPrice,
    currency: doc.currency,
    createdAt: (doc.createdAt ?? new Date(0)).toISOString(),
    updatedAt: (doc.updatedAt ?? new Date(0)).toISOString(),
  };
}

@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectModel(Subscription.name) private readonly subscriptions: Model<Subscription>) {}

  /** Idempotent per tenant: a second call keeps the first subscription. */
  async createForTenant(tenantId: string, init: { plan: Plan; seats: number; monthlyPrice: number; status: SubscriptionStatus }): Promise<SubscriptionDto> {
    const doc = await this.subscriptions
      .findOneAndUpdate(
        { tenantId: new Types.ObjectId(tenantId) },
        { $setOnInsert: { tenantId: new Types.ObjectId(tenantId), ...init } },
        { upsert: true, new: true },
      )
      .lean<Lean<Subscription>>();
    return toDto(doc!);
  }

  async findByTenant(tenantId: string): Promise<SubscriptionDto | null> {
    const doc = await this.subscriptions.findOne({ tenantId: new Types.ObjectId(tenantId) }).lean<Lean<Subscription>>();
    return doc ? toDto(doc) : null;
  }

  async findByTenants(tenantIds: string[]): Promise<SubscriptionDto[]> {
    const docs = await this.subscriptions
      .find({ tenantId: mongoose.trusted({ $in: tenantIds.map((id) => new Types.ObjectId(id)) }) })
      .lean<Lean<Subscription>[]>();
    return docs.map(toDto);
  }

  async update(tenantId: string, set: Partial<Pick<Subscription, 'plan' | 'status' | 'seats' | 'monthlyPrice'>>): Promise<SubscriptionDto | null> {
    const doc = await this.subscriptions
      .findOneAndUpdate({ tenantId: new Types.ObjectId(tenantId) }, { $set: set }, { new: true })
      .lean<Lean<Subscription>>();
    return doc ? toDto(doc) : null;
  }
}

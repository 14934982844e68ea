import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CURRENCY, PLANS, SUBSCRIPTION_STATUSES, type Plan, type SubscriptionStatus } from '@dezky/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export const SUBSCRIPTIONS_COLLECTION = 'subscriptions';

@Schema({ collection: SUBSCRIPTIONS_COLLECTION, timestamps: true, strict: 'throw' })
export class Subscription {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) tenantId!: Types.ObjectId;
  @Prop({ type: String, enum: PLANS, required: true }) plan!: Plan;
  @Prop({ type: String, enum: SUBSCRIPTION_STATUSES, default: 'trialing' }) status!: SubscriptionStatus;
  @Prop({ required: true, min: 1 }) seats!: number;
  /** Integer cents per month. */
  @Prop({ required: true, min: 0 }) monthlyPrice!: number;
  @Prop({ default: CURRENCY }) currency!: string;
}

export const SubscriptionSchema = SchemaFactory.createForClass(Subscription);
// One subscription per tenant; serves every lookup by tenant and the partner MRR $lookup.
SubscriptionSchema.index({ tenantId: 1 }, { unique: true });

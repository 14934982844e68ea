import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '@dezky/contracts';

/**
 * One message to one endpoint, queued until it is delivered or given up. A process delivering
 * it holds its lease (`leaseOwner` until `leaseUntil`); a process that dies mid-attempt leaves a
 * lease that expires, and the delivery is attempted again.
 */
@Schema({ collection: 'webhook_deliveries', timestamps: true, strict: 'throw' })
export class WebhookDelivery {
  @Prop({ required: true }) webhookId!: string;
  /** The `webhook-id` header, the same on every attempt. */
  @Prop({ required: true }) messageId!: string;
  @Prop({ required: true }) event!: string;
  /** The body exactly as it is signed and sent. */
  @Prop({ required: true }) payload!: string;
  @Prop({ type: String, enum: WEBHOOK_DELIVERY_STATUSES, required: true }) status!: WebhookDeliveryStatus;
  @Prop({ required: true, default: 0 }) attempts!: number;
  @Prop({ type: Date, default: null }) nextAttemptAt!: Date | null;
  @Prop({ type: Date, default: null }) lastAttemptAt!: Date | null;
  @Prop({ type: String, default: null }) lastError!: string | null;
  @Prop({ type: Date, default: null }) deliveredAt!: Date | null;
  @Prop({ type: String, default: null }) leaseOwner!: string | null;
  @Prop({ type: Date, default: null }) leaseUntil!: Date | null;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
// Serves the worker's claim: pending deliveries whose next attempt is due, earliest first.
WebhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
// Serves an endpoint's delivery log (GET /webhooks/:id/deliveries, newest first), its latest
// delivery in the endpoint list, and removing its deliveries with it.
WebhookDeliverySchema.index({ webhookId: 1, createdAt: -1, _id: -1 });

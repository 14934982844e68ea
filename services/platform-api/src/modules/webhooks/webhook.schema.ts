import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** An endpoint operators registered. `secret` signs its deliveries and leaves the repository only to be signed with. */
@Schema({ collection: 'webhooks', timestamps: true, strict: 'throw' })
export class WebhookEndpoint {
  @Prop({ required: true }) url!: string;
  @Prop({ type: [String], required: true }) events!: string[];
  @Prop({ required: true, default: true }) enabled!: boolean;
  @Prop({ default: '' }) description!: string;
  @Prop({ required: true }) secret!: string;
}

export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpoint);
// Serves the write listener: the enabled endpoints, read on every audited flag write.
WebhookEndpointSchema.index({ enabled: 1 });
// Serves GET /webhooks, newest first.
WebhookEndpointSchema.index({ createdAt: -1, _id: -1 });

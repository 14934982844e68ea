import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DeliveriesRepository } from './deliveries.repository';
import { WebhookDelivery, WebhookDeliverySchema } from './webhook-delivery.schema';
import { WebhookTargets } from './webhook-target';
import { WebhookWorker } from './webhook-worker';
import { WebhookEndpoint, WebhookEndpointSchema } from './webhook.schema';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Outgoing webhooks: endpoints, their signed deliveries of flag changes, and the worker that sends them. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookEndpoint.name, schema: WebhookEndpointSchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
    ]),
  ],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, DeliveriesRepository, WebhookTargets, WebhookWorker, WebhooksService],
})
export class WebhooksModule {}

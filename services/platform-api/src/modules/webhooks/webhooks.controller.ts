import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/http/page-query.dto';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { CreateWebhookDto, UpdateWebhookDto, WebhookDeliveryDto, WebhookDeliveryPageDto, WebhookDto, WebhookPageDto, WebhookWithSecretDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@OperatorOnly()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'Registered endpoints, newest first, each with its latest delivery' })
  @ApiOkResponse({ type: WebhookPageDto })
  list(@Query() query: PageQueryDto): Promise<WebhookPageDto> {
    return this.webhooks.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Registers an endpoint; the answer carries its signing secret, shown this once' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  create(@Actor() actor: ActorType, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint (never its secret)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes its URL, events, description, or enables or disables it' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse()
  update(@Actor() actor: ActorType, @Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes the endpoint and its delivery log' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse()
  async remove(@Actor() actor: ActorType, @Param('id') id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replaces the signing secret; the answer carries the new one, shown this once' })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  @ApiNotFoundResponse()
  rotateSecret(@Actor() actor: ActorType, @Param('id') id: string): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(actor, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a webhook.test message to this endpoint now; the delivery after that attempt' })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse()
  test(@Actor() actor: ActorType, @Param('id') id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.test(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first" })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiNotFoundResponse()
  deliveries(@Param('id') id: string, @Query() page: PageQueryDto): Promise<WebhookDeliveryPageDto> {
    return this.webhooks.deliveriesOf(id, page);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Attempts a delivery again now, with the same webhook-id; the delivery after that attempt' })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse()
  resend(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.resend(id, deliveryId);
  }
}

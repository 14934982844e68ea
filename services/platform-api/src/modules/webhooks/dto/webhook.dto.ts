import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_EVENT_MESSAGE,
  WEBHOOK_EVENT_PATTERN,
  WEBHOOK_EVENTS,
  WEBHOOK_EVENTS_MAX,
  WEBHOOK_URL_MAX,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookLastDelivery,
  type WebhookWithSecret,
} from '@dezky/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Optional } from '../../../common/http/optional';

const URL_DOC: ApiPropertyOptions = {
  example: 'https://hooks.example.com/dezky',
  maxLength: WEBHOOK_URL_MAX,
  description: 'https; its host must be, and resolve to, public addresses only (checked again before every delivery)',
};
const EVENTS_DOC: ApiPropertyOptions = {
  type: [String],
  example: ['flag.*'],
  description: `Flag actions (${WEBHOOK_EVENTS.join(', ')}, ...) or prefixes ending in * (flag.*, flag.schedule_*)`,
};

export class CreateWebhookDto {
  @ApiProperty(URL_DOC) @IsString() @MinLength(1) @MaxLength(WEBHOOK_URL_MAX) url!: string;

  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENTS_MAX)
  @Matches(WEBHOOK_EVENT_PATTERN, { each: true, message: `each of events ${WEBHOOK_EVENT_MESSAGE}` })
  events!: string[];

  @ApiPropertyOptional({ default: true }) @Optional() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({ maxLength: WEBHOOK_DESCRIPTION_MAX }) @Optional() @IsString() @MaxLength(WEBHOOK_DESCRIPTION_MAX) description?: string;
}

/** Written out rather than PartialType: PartialType's IsOptional would let `null` through. */
@JSONSchema({ minProperties: 1 }) // WebhooksService refuses a change of nothing
export class UpdateWebhookDto {
  @ApiPropertyOptional(URL_DOC) @Optional() @IsString() @MinLength(1) @MaxLength(WEBHOOK_URL_MAX) url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @Optional()
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENTS_MAX)
  @Matches(WEBHOOK_EVENT_PATTERN, { each: true, message: `each of events ${WEBHOOK_EVENT_MESSAGE}` })
  events?: string[];

  @ApiPropertyOptional() @Optional() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({ maxLength: WEBHOOK_DESCRIPTION_MAX }) @Optional() @IsString() @MaxLength(WEBHOOK_DESCRIPTION_MAX) description?: string;
}

export class WebhookLastDeliveryDto implements WebhookLastDelivery {
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryStatus;
  @ApiProperty() event!: string;
  @ApiProperty({ description: 'Its last attempt, or when it was queued' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}

export class WebhookDto implements Webhook {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty() description!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: WebhookLastDeliveryDto, nullable: true, description: 'null until something was queued for it' }) lastDelivery!: WebhookLastDeliveryDto | null;
}

export class WebhookWithSecretDto extends WebhookDto implements WebhookWithSecret {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signs every delivery (Standard Webhooks). Shown in this answer only: store it now.' }) secret!: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class WebhookDeliveryDto implements WebhookDelivery {
  @ApiProperty() id!: string;
  @ApiProperty() webhookId!: string;
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt' }) messageId!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'HTTP status or network reason of the last failed attempt' }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MAX_TENANT_DOMAINS,
  MEMBERSHIP_ROLES,
  PLANS,
  PROVISIONING_STATES,
  SLUG_MAX,
  SLUG_MIN,
  SLUG_PATTERN,
  SUBSCRIPTION_STATUSES,
  TENANT_STATUSES,
  type MembershipRole,
  type Plan,
  type ProvisioningState,
  type ProvisioningStateName,
  type Subscription,
  type SubscriptionStatus,
  type Tenant,
  type TenantDetail,
  type TenantStatus,
} from '@dezky/contracts';
import {
  IsIn,
  IsInt,
  IsMongoId,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Optional } from '../../../common/http/optional';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { TenantDomainDto } from '../domains/domain.dto';
import { DomainNames } from '../domains/domain-name.validation';

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', pattern: SLUG_PATTERN.source, minLength: SLUG_MIN, maxLength: SLUG_MAX })
  @IsString()
  @Length(SLUG_MIN, SLUG_MAX)
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and single hyphens' })
  slug!: string;

  @ApiProperty({ example: 'Acme GmbH' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;

  @ApiPropertyOptional({ enum: PLANS, default: 'starter' }) @Optional() @IsIn(PLANS) plan?: Plan;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TENANT_DOMAINS, example: ['acme.eu'], description: 'Each starts pending, until its DNS verifies it' })
  @Optional()
  @DomainNames()
  domains?: string[];
}

@JSONSchema({ minProperties: 1 }) // TenantsService refuses a change of nothing
export class UpdateTenantDto {
  @ApiPropertyOptional({ example: 'Acme Europe GmbH' }) @Optional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ enum: PLANS }) @Optional() @IsIn(PLANS) plan?: Plan;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TENANT_DOMAINS,
    description: 'Replaces the domains ([] removes them all): those the tenant has keep their status, new ones start pending',
  })
  @Optional()
  @DomainNames()
  domains?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: "The partner's id to attach; null detaches" })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsMongoId({ message: 'partnerId must be a partner id (24 hex characters) or null' })
  partnerId?: string | null;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES }) @Optional() @IsIn(SUBSCRIPTION_STATUSES) status?: SubscriptionStatus;
  @ApiPropertyOptional({ minimum: 1, maximum: 100000 }) @Optional() @IsInt() @Min(1) @Max(100000) seats?: number;
}

export class ListTenantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches slug or name' }) @IsOptional() @IsString() @MaxLength(100) search?: string;
  @ApiPropertyOptional({ description: "A partner's slug (operators only)" })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'partner must be a partner slug' })
  @MaxLength(SLUG_MAX)
  partner?: string;
  @ApiPropertyOptional({ enum: TENANT_STATUSES }) @IsOptional() @IsIn(TENANT_STATUSES) status?: TenantStatus;
  @ApiPropertyOptional({ enum: PLANS }) @IsOptional() @IsIn(PLANS) plan?: Plan;
}

export class ProvisioningStateDto implements ProvisioningState {
  @ApiProperty({ enum: PROVISIONING_STATES }) state!: ProvisioningStateName;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional() detail?: string;
}

export class PartnerRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

export class SubscriptionDto implements Subscription {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: PLANS }) plan!: Plan;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status!: SubscriptionStatus;
  @ApiProperty() seats!: number;
  @ApiProperty({ description: 'Integer cents per month' }) monthlyPrice!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TenantDto implements Tenant {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLANS }) plan!: Plan;
  @ApiProperty({ type: [TenantDomainDto] }) domains!: TenantDomainDto[];
  @ApiProperty({ enum: TENANT_STATUSES }) status!: TenantStatus;
  @ApiProperty({ type: String, nullable: true }) partnerId!: string | null;
  @ApiProperty({ type: PartnerRefDto, nullable: true }) partner!: PartnerRefDto | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ProvisioningStateDto' }, description: 'Per integration' })
  provisioning!: Record<string, ProvisioningStateDto>;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TenantDetailDto extends TenantDto implements TenantDetail {
  @ApiProperty({ type: SubscriptionDto, nullable: true }) subscription!: SubscriptionDto | null;
  @ApiProperty({ enum: MEMBERSHIP_ROLES, nullable: true, description: "The caller's role; null for an operator who is not a member" })
  role!: MembershipRole | null;
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantDto] }) items!: TenantDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

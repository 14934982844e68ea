import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FLAG_STATES, PLANS, type FlagExplanation, type FlagState, type Plan, type TenantChangeImpact, type TenantFlag, type TenantFlagFlip } from '@dezky/contracts';
import { IsIn, IsMongoId, IsOptional, ValidateIf } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Optional } from '../../../common/http/optional';

/** Why a flag has its value for a tenant. */
class ExplanationDto {
  @ApiProperty() value!: boolean;
  @ApiProperty({ enum: ['off', 'on', 'no-scope', 'scope-mismatch', 'scope-match', 'inside-rollout', 'outside-rollout'] }) reason!: string;
  @ApiPropertyOptional({ enum: ['plans', 'tenantSlugs', 'partnerSlugs', 'environments'], description: 'The first scope axis that excludes the tenant' }) axis?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 99 }) bucket?: number;
  @ApiPropertyOptional() pct?: number;
}

class TenantFlagDto implements TenantFlag {
  @ApiProperty() key!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: FLAG_STATES }) state!: FlagState;
  @ApiProperty() pct!: number;
  @ApiProperty() value!: boolean;
  @ApiProperty({ type: ExplanationDto }) explanation!: FlagExplanation;
}

export class TenantFlagListDto {
  @ApiProperty({ type: [TenantFlagDto], description: 'Every flag, by key' }) items!: TenantFlagDto[];
}

/** A change of a tenant's plan or partner, as PATCH /tenants/:slug takes it. */
@JSONSchema({ minProperties: 1 })
export class TenantChangeDto {
  @ApiPropertyOptional({ enum: PLANS }) @Optional() @IsIn(PLANS) plan?: Plan;

  @ApiPropertyOptional({ type: String, nullable: true, description: "The partner's id to attach; null detaches" })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsMongoId({ message: 'partnerId must be a partner id (24 hex characters) or null' })
  partnerId?: string | null;
}

class TenantFlagFlipDto implements TenantFlagFlip {
  @ApiProperty() key!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: ExplanationDto }) before!: FlagExplanation;
  @ApiProperty({ type: ExplanationDto }) after!: FlagExplanation;
}

export class TenantChangeImpactDto implements TenantChangeImpact {
  @ApiProperty() tenantSlug!: string;
  @ApiProperty({ type: [TenantFlagFlipDto], description: 'Flags the tenant would get, by key' }) gained!: TenantFlagFlipDto[];
  @ApiProperty({ type: [TenantFlagFlipDto], description: 'Flags the tenant would lose, by key' }) lost!: TenantFlagFlipDto[];
  @ApiProperty({ description: 'Flags whose value stays' }) unchanged!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ADDRESS_MAX,
  EMAIL_MAX,
  NAME_MAX,
  PARTNER_STATUSES,
  PCT_MAX,
  PCT_MIN,
  PHONE_MESSAGE,
  PHONE_PATTERN,
  SLUG_MAX,
  SLUG_MESSAGE,
  SLUG_MIN,
  SLUG_PATTERN,
  VAT_ID_MESSAGE,
  VAT_ID_PATTERN,
  type BillingInfo, type ContactInfo, type Partner, type PartnerStatus, type PartnerWithStats } from '@dezky/contracts';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { Optional } from '../../../common/http/optional';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { DomainName } from '../../tenants/domains/domain-name.validation';

export class ContactInfoDto implements ContactInfo {
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(NAME_MAX) name?: string;
  @ApiPropertyOptional() @Optional() @IsEmail() @MaxLength(EMAIL_MAX) email?: string;
  @ApiPropertyOptional() @Optional() @Matches(PHONE_PATTERN, { message: `phone ${PHONE_MESSAGE}` }) phone?: string;
}

export class BillingInfoDto implements BillingInfo {
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(NAME_MAX) company?: string;
  @ApiPropertyOptional({ example: 'DE123456789' })
  @Optional()
  @Matches(VAT_ID_PATTERN, { message: `vatId ${VAT_ID_MESSAGE}` })
  vatId?: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(ADDRESS_MAX) address?: string;
  @ApiPropertyOptional() @Optional() @IsEmail() @MaxLength(EMAIL_MAX) email?: string;
}

export class CreatePartnerDto {
  @ApiProperty({ example: 'nordic-it', pattern: SLUG_PATTERN.source, minLength: SLUG_MIN, maxLength: SLUG_MAX })
  @IsString()
  @Length(SLUG_MIN, SLUG_MAX)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug!: string;

  @ApiProperty({ example: 'Nordic IT AB' }) @IsString() @IsNotEmpty() @MaxLength(NAME_MAX) name!: string;

  @ApiProperty({ example: 'nordic-it.se', description: 'Stored in its lower-case ASCII (punycode) form' }) @DomainName() domain!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 20 }) @IsInt() @Min(PCT_MIN) @Max(PCT_MAX) marginPct!: number;

  @ApiPropertyOptional({ type: ContactInfoDto }) @Optional() @ValidateNested() @Type(() => ContactInfoDto) contactInfo?: ContactInfoDto;

  @ApiPropertyOptional({ type: BillingInfoDto }) @Optional() @ValidateNested() @Type(() => BillingInfoDto) billingInfo?: BillingInfoDto;
}

/** Written out rather than PartialType: PartialType's IsOptional would let `null` through. */
@JSONSchema({ minProperties: 1 }) // PartnersService refuses a change of nothing
export class UpdatePartnerDto {
  @ApiPropertyOptional() @Optional() @IsString() @IsNotEmpty() @MaxLength(NAME_MAX) name?: string;
  @ApiPropertyOptional({ description: 'Stored in its lower-case ASCII (punycode) form' }) @Optional() @DomainName() domain?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @Optional() @IsInt() @Min(PCT_MIN) @Max(PCT_MAX) marginPct?: number;
  @ApiPropertyOptional({ type: ContactInfoDto, description: 'Replaces the whole contact card' })
  @Optional()
  @ValidateNested()
  @Type(() => ContactInfoDto)
  contactInfo?: ContactInfoDto;
  @ApiPropertyOptional({ type: BillingInfoDto, description: 'Replaces the whole billing card' })
  @Optional()
  @ValidateNested()
  @Type(() => BillingInfoDto)
  billingInfo?: BillingInfoDto;
}

export class ListPartnersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches slug, name or domain' }) @IsOptional() @IsString() @MaxLength(100) search?: string;
  @ApiPropertyOptional({ enum: PARTNER_STATUSES }) @IsOptional() @IsIn(PARTNER_STATUSES) status?: PartnerStatus;
}

export class PartnerDto implements Partner {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Lower-case ASCII (punycode) form' }) domain!: string;
  @ApiProperty({ enum: PARTNER_STATUSES }) status!: PartnerStatus;
  @ApiProperty() marginPct!: number;
  @ApiProperty({ type: ContactInfoDto }) contactInfo!: ContactInfoDto;
  @ApiProperty({ type: BillingInfoDto }) billingInfo!: BillingInfoDto;
  @ApiProperty({ nullable: true, type: String }) terminatedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class PartnerWithStatsDto extends PartnerDto implements PartnerWithStats {
  @ApiProperty({ description: 'Tenants attached to the partner' }) customers!: number;
  @ApiProperty({ description: "Sum of the monthly price of its tenants' active subscriptions, in cents" }) mrr!: number;
  @ApiProperty({ description: 'mrr x marginPct / 100, in whole cents' }) margin!: number;
  @ApiProperty({ description: 'Customers whose subscription is still trialing (not in mrr)' }) trialing!: number;
  @ApiProperty({ description: 'What the trialing subscriptions will bill per month once active, in cents' }) trialingMrr!: number;
}

export class PartnerPageDto {
  @ApiProperty({ type: [PartnerWithStatsDto] }) items!: PartnerWithStatsDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  DESCRIPTION_MAX,
  ENVIRONMENTS,
  FLAG_KEY_MESSAGE,
  FLAG_KEY_PATTERN,
  FLAG_STATES,
  PCT_MAX,
  PCT_MESSAGE,
  PCT_MIN,
  SCOPE_LIMITS,
  SCOPE_VALUE_MAX, IMPACT_LISTS, IMPACT_PAGE_LIMIT, PLANS, type Flag, type FlagApproval, type FlagImpact, type FlagState, type ImpactList } from '@dezky/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { Optional } from '../../../common/http/optional';


/** Scope axes are lists of strings here; which values exist is checked against the data in the service. */
export class FlagScopeDraftDto {
  @ApiPropertyOptional({ type: [String], enum: PLANS, description: 'Replaces the axis; [] clears it' })
  @Optional() @IsArray() @ArrayMaxSize(SCOPE_LIMITS.plans) @IsString({ each: true }) @MaxLength(SCOPE_VALUE_MAX, { each: true })
  plans?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Tenant slugs; replaces the axis' })
  @Optional() @IsArray() @ArrayMaxSize(SCOPE_LIMITS.tenantSlugs) @IsString({ each: true }) @MaxLength(SCOPE_VALUE_MAX, { each: true })
  tenantSlugs?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Partner slugs; replaces the axis' })
  @Optional() @IsArray() @ArrayMaxSize(SCOPE_LIMITS.partnerSlugs) @IsString({ each: true }) @MaxLength(SCOPE_VALUE_MAX, { each: true })
  partnerSlugs?: string[];

  @ApiPropertyOptional({ type: [String], enum: ENVIRONMENTS, description: 'Replaces the axis' })
  @Optional() @IsArray() @ArrayMaxSize(SCOPE_LIMITS.environments) @IsString({ each: true }) @MaxLength(SCOPE_VALUE_MAX, { each: true })
  environments?: string[];
}

export class FlagDraftDto {
  @ApiPropertyOptional({ maxLength: DESCRIPTION_MAX }) @Optional() @IsString() @MaxLength(DESCRIPTION_MAX) description?: string;
  @ApiPropertyOptional({ enum: FLAG_STATES }) @Optional() @IsIn(FLAG_STATES) state?: FlagState;
  @ApiPropertyOptional({ minimum: PCT_MIN, maximum: PCT_MAX, description: 'Integer percentage of eligible tenants (rollout)' })
  @Optional() @IsInt({ message: PCT_MESSAGE }) @Min(PCT_MIN, { message: PCT_MESSAGE }) @Max(PCT_MAX, { message: PCT_MESSAGE })
  pct?: number;
  @ApiPropertyOptional({ type: FlagScopeDraftDto, description: 'Each given axis replaces that axis; omitted axes are kept' })
  @Optional() @IsObject({ message: 'scope must be an object of axes: plans, tenantSlugs, partnerSlugs, environments' }) @ValidateNested() @Type(() => FlagScopeDraftDto)
  scope?: FlagScopeDraftDto;
}

export class CreateFlagDto {
  @ApiProperty({ example: 'jmap_native_v2', pattern: FLAG_KEY_PATTERN.source })
  @IsString() @Matches(FLAG_KEY_PATTERN, { message: FLAG_KEY_MESSAGE })
  key!: string;

  @ApiProperty({ maxLength: DESCRIPTION_MAX }) @IsString() @IsNotEmpty() @MaxLength(DESCRIPTION_MAX) description!: string;
}

export class EvaluateDto {
  @ApiProperty({ example: 'acme' }) @IsString() @IsNotEmpty() @MaxLength(64) tenantSlug!: string;
}

class FlagScopeResponseDto {
  @ApiProperty({ type: [String], enum: PLANS }) plans!: string[];
  @ApiProperty({ type: [String] }) tenantSlugs!: string[];
  @ApiProperty({ type: [String] }) partnerSlugs!: string[];
  @ApiProperty({ type: [String], enum: ENVIRONMENTS }) environments!: string[];
}

/**
 * A changed field's value before or after: whatever the field holds (text, number, state, scope).
 * OpenAPI 3.0 has no "any" type, so every JSON type is listed; `nullable` needs a `type` beside it.
 */
const ANY_JSON_VALUE = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object', nullable: true }],
  description: 'Any JSON value',
};

class FlagChangeDto {
  @ApiProperty(ANY_JSON_VALUE) from!: unknown;
  @ApiProperty(ANY_JSON_VALUE) to!: unknown;
}

class FlagHistoryEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty({ description: "The actor's email" }) actor!: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/FlagChangeDto' } }) changes!: Record<string, FlagChangeDto>;
  @ApiPropertyOptional({
    type: 'object',
    description: 'On a protected flag, how the change got past approval: `{ kind: "change-request", changeRequestId, author }` or `{ kind: "bypassed", via: "kill" }`',
    properties: { kind: { type: 'string', enum: ['change-request', 'bypassed'] }, changeRequestId: { type: 'string' }, author: { type: 'string' }, via: { type: 'string', enum: ['kill'] } },
    required: ['kind'],
  })
  approval?: FlagApproval;
}

export class FlagDto implements Flag {
  @ApiProperty() id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: FLAG_STATES }) state!: FlagState;
  @ApiProperty() pct!: number;
  @ApiProperty({ type: FlagScopeResponseDto }) scope!: Flag['scope'];
  @ApiProperty({ description: 'Changes other than the kill switch need another platform administrator to approve a change request' }) protected!: boolean;
  @ApiProperty({ description: 'Increments on every change, for people to read; conditional requests use `etag`' }) version!: number;
  @ApiProperty({ description: 'Same as the ETag header: opaque, new on every change; send it back as If-Match', example: '"3-q0d9Vb7yK2xLw1aE"' }) etag!: string;
  @ApiProperty({ type: [FlagHistoryEntryDto], description: 'Newest first, at most 20' }) history!: FlagHistoryEntryDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/** A flag's contents at one of its versions (GET /flags/:key/versions/:version). */
export class FlagVersionDto extends PickType(FlagDto, ['key', 'version', 'description', 'state', 'pct', 'scope'] as const) {}

export class RevertFlagDto {
  @ApiProperty({ minimum: 1, description: 'The version whose contents the new version takes' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be 1 or more' })
  version!: number;
}

export class FlagListDto {
  @ApiProperty({ type: [FlagDto] }) items!: FlagDto[];
  @ApiProperty({ description: 'Same as the ETag header: changes when any flag changes' }) etag!: string;
}

export class FlagImpactDto implements FlagImpact {
  @ApiProperty({ description: 'Every tenant' }) total!: number;
  @ApiProperty({ description: 'Tenants with the flag on now' }) before!: number;
  @ApiProperty({ description: 'Tenants with the flag on under the draft' }) after!: number;
  @ApiProperty({ description: 'Tenants that would gain the flag: all of them, however many `gained` lists' }) gainedCount!: number;
  @ApiProperty({ description: 'Tenants that would lose the flag: all of them, however many `lost` lists' }) lostCount!: number;
  @ApiProperty({
    type: [String],
    maxItems: IMPACT_PAGE_LIMIT,
    description: `Slugs that would gain the flag, sorted: the page asked for (by default the first ${IMPACT_PAGE_LIMIT}); empty when \`list=lost\``,
  })
  gained!: string[];
  @ApiProperty({
    type: [String],
    maxItems: IMPACT_PAGE_LIMIT,
    description: `Slugs that would lose the flag, sorted: the page asked for (by default the first ${IMPACT_PAGE_LIMIT}); empty when \`list=gained\``,
  })
  lost!: string[];
}

/** A query parameter given as digits becomes a number; anything else stays as sent and fails validation. */
const digits = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);
/** An integer in [min, max], with one message for every way of missing it. */
const IntegerIn = (min: number, max: number, message: string): PropertyDecorator =>
  ValidateBy({ name: 'integerIn', validator: { validate: (v: unknown) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max, defaultMessage: () => message } });

/** Past any tenant count we serve; the lists are in memory, so a deep page costs nothing extra. */
const IMPACT_OFFSET_MAX = 10_000_000;

/** Which page of the gained and lost slugs an impact preview answers. */
export class FlagImpactQueryDto {
  @ApiPropertyOptional({ enum: IMPACT_LISTS, description: 'Page only this list; the other comes back empty. Without it both lists get the same page.' })
  @Optional() @IsIn(IMPACT_LISTS, { message: `list must be one of: ${IMPACT_LISTS.join(', ')}` })
  list?: ImpactList;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: IMPACT_OFFSET_MAX, default: 0, description: 'Position of the first slug in the sorted list(s)' })
  @Optional() @Transform(digits) @IntegerIn(0, IMPACT_OFFSET_MAX, `offset must be an integer from 0 to ${IMPACT_OFFSET_MAX}`)
  offset?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: IMPACT_PAGE_LIMIT, default: IMPACT_PAGE_LIMIT, description: 'Slugs per list' })
  @Optional() @Transform(digits) @IntegerIn(1, IMPACT_PAGE_LIMIT, `limit must be an integer from 1 to ${IMPACT_PAGE_LIMIT}`)
  limit?: number;
}

export class FlagExplanationDto {
  @ApiProperty() value!: boolean;
  @ApiProperty({ enum: ['off', 'on', 'no-scope', 'scope-mismatch', 'scope-match', 'inside-rollout', 'outside-rollout'] }) reason!: string;
  @ApiPropertyOptional({ enum: ['plans', 'tenantSlugs', 'partnerSlugs', 'environments'] }) axis?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 99 }) bucket?: number;
  @ApiPropertyOptional() pct?: number;
  @ApiProperty({ description: 'The tenant context the flag was evaluated with' }) context!: Record<string, unknown>;
}
export { FlagChangeDto };

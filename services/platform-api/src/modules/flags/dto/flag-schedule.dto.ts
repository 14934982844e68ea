import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FLAG_STATES,
  PCT_MAX,
  PCT_MESSAGE,
  PCT_MIN,
  SCHEDULE_HORIZON_DAYS,
  SCHEDULE_NOW,
  SCHEDULE_STATUSES,
  SCHEDULE_STEPS_MAX,
  type FlagSchedule,
  type FlagScheduleStep,
  type FlagSchedulePreview,
  type FlagScheduleStepImpact,
  type FlagState,
  type ScheduleStatus,
} from '@dezky/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Optional } from '../../../common/http/optional';
import { FlagImpactDto } from './flag.dto';

/** `now`, or an ISO 8601 date-time with its offset from UTC; which instants are allowed is checked in the service. */
const AT_PATTERN = /^(now|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))$/;
const AT_MESSAGE = `at must be "${SCHEDULE_NOW}" or an ISO 8601 date-time with its offset from UTC, such as 2026-05-12T10:00:00Z`;

export class FlagScheduleStepDraftDto {
  @ApiProperty({
    pattern: AT_PATTERN.source,
    example: '2026-05-12T10:00:00Z',
    description: `When the step applies: "${SCHEDULE_NOW}" (the first step only: applied as the plan is saved) or a later instant with its offset from UTC, within ${SCHEDULE_HORIZON_DAYS} days; strictly after the step before`,
  })
  @IsString({ message: AT_MESSAGE })
  @Matches(AT_PATTERN, { message: AT_MESSAGE })
  at!: string;

  @ApiPropertyOptional({ enum: FLAG_STATES }) @Optional() @IsIn(FLAG_STATES, { message: `state must be one of: ${FLAG_STATES.join(', ')}` }) state?: FlagState;

  @ApiPropertyOptional({ minimum: PCT_MIN, maximum: PCT_MAX, description: 'Integer percentage of eligible tenants (rollout)' })
  @Optional() @IsInt({ message: PCT_MESSAGE }) @Min(PCT_MIN, { message: PCT_MESSAGE }) @Max(PCT_MAX, { message: PCT_MESSAGE })
  pct?: number;
}

export class FlagScheduleDraftDto {
  @ApiProperty({ type: [FlagScheduleStepDraftDto], minItems: 1, maxItems: SCHEDULE_STEPS_MAX, description: 'In time order; each step changes state, pct or both' })
  @IsArray({ message: 'steps must be a list of steps' })
  @ArrayMinSize(1, { message: 'steps must list at least one step' })
  @ArrayMaxSize(SCHEDULE_STEPS_MAX, { message: `steps must list at most ${SCHEDULE_STEPS_MAX} steps` })
  @IsObject({ each: true, message: 'each step must be an object with at, and state and/or pct' })
  @ValidateNested({ each: true })
  @Type(() => FlagScheduleStepDraftDto)
  steps!: FlagScheduleStepDraftDto[];
}

class FlagScheduleStepDto implements FlagScheduleStep {
  @ApiProperty({ description: 'UTC, ISO 8601' }) at!: string;
  @ApiPropertyOptional({ enum: FLAG_STATES }) state?: FlagState;
  @ApiPropertyOptional() pct?: number;
  @ApiProperty({ type: String, nullable: true, description: 'When the scheduler applied it' }) executedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The flag version it made' }) version!: number | null;
}

export class FlagScheduleDto implements FlagSchedule {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: SCHEDULE_STATUSES }) status!: ScheduleStatus;
  @ApiProperty({ type: [FlagScheduleStepDto] }) steps!: FlagScheduleStepDto[];
  @ApiProperty({ description: 'Email of the operator whose plan it is: who saved it, or who last resumed it. Its steps apply on their authority.' }) plannedBy!: string;
  @ApiProperty() plannedAt!: string;
  @ApiProperty({ description: 'The flag version the plan was saved (or last resumed) against' }) baseVersion!: number;
  @ApiProperty({ description: 'The version the flag must still have for the next step to apply' }) expectedVersion!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the plan is paused or cancelled' }) reason!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class FlagScheduleAnswerDto {
  @ApiProperty({ type: FlagScheduleDto, nullable: true, description: 'The flag\'s plan (done and cancelled ones are kept), or null when it has none' })
  schedule!: FlagScheduleDto | null;
}

class FlagScheduleStepImpactDto extends FlagImpactDto implements FlagScheduleStepImpact {
  @ApiProperty({ description: 'UTC, ISO 8601 (a "now" step: the time of the preview)' }) at!: string;
  @ApiProperty({ enum: FLAG_STATES, description: 'The flag\'s state after the step' }) state!: FlagState;
  @ApiProperty({ description: 'The flag\'s pct after the step' }) pct!: number;
}

export class FlagSchedulePreviewDto implements FlagSchedulePreview {
  @ApiProperty({ description: 'Every tenant' }) total!: number;
  @ApiProperty({ type: [FlagScheduleStepImpactDto], description: 'Per step: before is the step before it (the first: the flag now), after is the flag after it' })
  steps!: FlagScheduleStepImpactDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FLAG_USAGE_DAYS, type FlagStaleness, type FlagUsage, type FlagUsageList } from '@dezky/contracts';

class FlagKeptDto {
  @ApiProperty({ description: "The operator's email" }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class FlagStalenessDto {
  @ApiProperty({ enum: ['final', 'unevaluated'], description: 'final: unchanged in a final state; unevaluated: not evaluated for the days of the rule' })
  reason!: FlagStaleness['reason'];
  @ApiPropertyOptional({ enum: ['off', 'on', 'full-rollout'], description: 'The final state (reason final)' })
  state?: 'off' | 'on' | 'full-rollout';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when: the last change (final), the last evaluation, or null for never (unevaluated)' })
  since!: string | null;
}

export class FlagUsageDto implements FlagUsage {
  @ApiProperty() key!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last evaluation any API process counted; null when none in the days kept' })
  lastEvaluatedAt!: string | null;
  @ApiProperty({ type: [Number], minItems: FLAG_USAGE_DAYS, maxItems: FLAG_USAGE_DAYS, description: `Evaluations per UTC day, the oldest first and today last (${FLAG_USAGE_DAYS} days)` })
  daily!: number[];
  @ApiProperty({ type: FlagKeptDto, nullable: true, description: 'Set when an operator keeps the flag: it is never reported stale' })
  kept!: FlagKeptDto | null;
  @ApiProperty({ type: FlagStalenessDto, nullable: true, description: 'Why the flag is potentially stale; null when it is not, or kept' })
  stale!: FlagStaleness | null;
}

export class FlagUsageListDto implements FlagUsageList {
  @ApiProperty({ type: [FlagUsageDto] }) items!: FlagUsageDto[];
  @ApiProperty({ description: 'A flag unchanged in a final state, or not evaluated, for this many days is potentially stale (FLAG_STALE_DAYS)' })
  staleAfterDays!: number;
  @ApiProperty({ format: 'date', description: 'The UTC day of daily[0]' }) firstDay!: string;
}

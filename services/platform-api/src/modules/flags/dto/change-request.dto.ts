import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  CHANGE_REQUEST_COMMENT_MAX,
  CHANGE_REQUEST_STATUSES,
  FLAG_KEY_MESSAGE,
  FLAG_KEY_PATTERN,
  type ChangeRequest,
  type ChangeRequestDraft,
  type ChangeRequestStatus,
  type FlagChange,
} from '@dezky/contracts';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, MaxLength, Min } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { Optional } from '../../../common/http/optional';
import { FlagDraftDto, FlagImpactDto } from './flag.dto';

/** A change request's draft: PATCH's draft, un-protecting (`protected: false`), or a revert (`revertTo`). */
@JSONSchema({ minProperties: 1 }) // ChangeRequestsService refuses a draft of nothing
export class ChangeRequestDraftDto extends FlagDraftDto {
  @ApiPropertyOptional({ enum: [false], description: 'false un-protects the flag once approved (protecting is POST /flags/:key/protect)' })
  @Optional()
  @IsIn([false], { message: 'protected can only be false in a change request (it un-protects the flag); protect a flag with POST /flags/:key/protect' })
  protected?: false;

  @ApiPropertyOptional({ minimum: 1, description: 'Revert to this kept version (its full contents); not combined with draft fields' })
  @Optional()
  @IsInt({ message: 'revertTo must be a whole number' })
  @Min(1, { message: 'revertTo must be 1 or more' })
  revertTo?: number;
}

export class ReviewChangeRequestDto {
  @ApiPropertyOptional({ maxLength: CHANGE_REQUEST_COMMENT_MAX, description: 'Why you approve; optional' })
  @Optional()
  @IsString()
  @MaxLength(CHANGE_REQUEST_COMMENT_MAX)
  comment?: string;
}

export class RejectChangeRequestDto {
  @ApiProperty({ maxLength: CHANGE_REQUEST_COMMENT_MAX, description: 'Why you reject it: the author reads this' })
  @IsString({ message: 'comment is required: say why you reject the change' })
  @Matches(/\S/, { message: 'comment is required: say why you reject the change' })
  @MaxLength(CHANGE_REQUEST_COMMENT_MAX)
  comment!: string;
}

export class ListChangeRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES })
  @Optional()
  @IsIn(CHANGE_REQUEST_STATUSES, { message: `status must be one of: ${CHANGE_REQUEST_STATUSES.join(', ')}` })
  status?: ChangeRequestStatus;

  @ApiPropertyOptional({ description: "Only this flag's requests", pattern: FLAG_KEY_PATTERN.source })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @Matches(FLAG_KEY_PATTERN, { message: FLAG_KEY_MESSAGE })
  flag?: string;
}

class ChangeRequestPersonDto {
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
}

class ChangeRequestReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: 'approve' | 'reject';
  @ApiProperty() comment!: string;
  @ApiProperty({ type: ChangeRequestPersonDto }) actor!: ChangeRequestPersonDto;
  @ApiProperty() at!: string;
}

class StoredDraftDto extends OmitType(ChangeRequestDraftDto, ['revertTo'] as const) {}

export class ChangeRequestDto implements ChangeRequest {
  @ApiProperty({ example: '665f1c2e9b1e8a0012345678' }) id!: string;
  @ApiProperty() flagKey!: string;
  @ApiProperty({ type: StoredDraftDto, description: 'What approval applies (a revert as the version’s full contents)' }) draft!: ChangeRequestDraft;
  @ApiProperty({ type: 'integer', nullable: true }) revertTo!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/FlagChangeDto' }, description: 'Every changed field against the drafted version' })
  changes!: Record<string, FlagChange>;
  @ApiProperty({ type: FlagImpactDto }) impact!: FlagImpactDto;
  @ApiProperty({ type: ChangeRequestPersonDto }) author!: ChangeRequestPersonDto;
  @ApiProperty() baseVersion!: number;
  @ApiProperty() baseEtag!: string;
  @ApiProperty({ enum: CHANGE_REQUEST_STATUSES }) status!: ChangeRequestStatus;
  @ApiProperty({ type: [ChangeRequestReviewDto] }) reviews!: ChangeRequestReviewDto[];
  @ApiProperty() approvalsRequired!: number;
  @ApiProperty({ description: 'Pending while the flag moved past baseVersion (or is gone): rebase before approval' }) stale!: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) flagVersion!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) appliedVersion!: number | null;
  @ApiProperty() revision!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ChangeRequestListDto {
  @ApiProperty({ type: [ChangeRequestDto] }) items!: ChangeRequestDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}


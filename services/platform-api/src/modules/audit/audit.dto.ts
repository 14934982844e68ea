import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_RESOURCE_TYPES, type AuditEntry, type AuditResourceType } from '@dezky/contracts';
import { IsEmail, IsIn, IsMongoId, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/page-query.dto';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "Only the entries about this partner (its id): its own, and its tenants' attach and detach" })
  @IsOptional()
  @IsMongoId()
  partnerId?: string;

  @ApiPropertyOptional({ enum: AUDIT_RESOURCE_TYPES })
  @IsOptional()
  @IsIn(AUDIT_RESOURCE_TYPES)
  resourceType?: AuditResourceType;

  @ApiPropertyOptional({ description: "The resource's id (ObjectId hex) or key" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  resourceId?: string;

  @ApiPropertyOptional({ description: "The actor's user id" })
  @IsOptional()
  @IsMongoId()
  actorId?: string;

  @ApiPropertyOptional({ description: "The actor's email" })
  @IsOptional()
  @IsEmail()
  actorEmail?: string;

  @ApiPropertyOptional({ example: 'tenant.update' })
  @IsOptional()
  @Matches(/^[a-z]+\.[a-z_]+$/)
  action?: string;
}

class AuditActorDto {
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
}
class AuditResourceDto {
  @ApiProperty({ enum: AUDIT_RESOURCE_TYPES }) type!: AuditResourceType;
  @ApiProperty() id!: string;
}

export class AuditEntryDto implements AuditEntry {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'tenant.update' }) action!: string;
  @ApiProperty({ type: AuditResourceDto }) resource!: AuditResourceDto;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The resource before the change' }) before!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The resource after the change' }) after!: unknown;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';

export class UpdateUserDto {
  @ApiProperty({ description: 'Grant (true) or revoke (false) platform administration' })
  @IsBoolean()
  platformAdmin!: boolean;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches email or name, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  platformAdmin?: boolean;
}

export class UserDto {
  @ApiProperty({ example: '665f1c2e9b1e8a0012345678' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() platformAdmin!: boolean;
  @ApiProperty({ description: 'Has signed in with an operator-scoped token: as a platform administrator, can use operator routes' }) operatorAccess!: boolean;
  @ApiProperty({ description: 'The issuer (identity provider application) the user signs in through' }) issuer!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

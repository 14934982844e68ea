import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { ListUsersQueryDto, UpdateUserDto, UserDto, UserListDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@OperatorOnly()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserListDto })
  list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Revoking the last platform administrator' })
  update(@Actor() actor: ActorType, @Param('id') id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.setPlatformAdmin(actor, id, dto.platformAdmin);
  }
}

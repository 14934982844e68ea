import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

/**
 * Authenticated and otherwise empty: tells a client its token works, and gives benchmarks the
 * cost of authentication alone to compare evaluation against.
 */
@ApiTags('me')
@ApiBearerAuth()
@ServedFromMemory()
@Controller('ping')
export class PingController {
  @Get()
  @ApiOkResponse({ schema: { type: 'object', properties: { ok: { type: 'boolean' }, userId: { type: 'string' } } } })
  ping(@Actor() actor: ActorType): { ok: true; userId: string } {
    return { ok: true, userId: actor.userId };
  }
}

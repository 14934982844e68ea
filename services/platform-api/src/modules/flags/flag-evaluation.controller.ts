import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { isSlug } from '@dezky/contracts';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../../common/errors/domain-errors';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { EvaluateDto } from './dto/flag.dto';
import { FlagsService } from './flags.service';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

/** Evaluation is for a tenant's members and operators (checked in the service), not operators only. */
@ApiTags('flags')
@ApiBearerAuth()
@ServedFromMemory()
@Controller('flags')
export class FlagEvaluationController {
  constructor(private readonly flags: FlagsService) {}

  @Post('evaluate')
  @HttpCode(200)
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: { type: 'boolean' } },
    description: 'Every flag for the tenant; header X-Flags-Stale: true when MongoDB is unreachable and the last snapshot answered',
  })
  @ApiNotFoundResponse({ description: 'No such tenant, or the caller is neither its member nor an operator' })
  async evaluate(@Actor() actor: ActorType, @Body() dto: EvaluateDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, boolean>> {
    if (!isSlug(dto.tenantSlug)) throw new NotFoundError(`Tenant ${dto.tenantSlug} not found`);
    const result = await this.flags.evaluate(actor, dto.tenantSlug);
    if (result.stale) reply.header('X-Flags-Stale', 'true');
    reply.header('Cache-Control', 'private, no-cache');
    return result.values;
  }
}

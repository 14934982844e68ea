import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { isSlug } from '@dezky/contracts';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../../common/errors/domain-errors';
import { FastPathBody } from '../../common/http/validation';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { EvaluateDto } from './dto/flag.dto';
import { FlagsService } from './flags.service';
import { EvaluationBudget } from '../../common/http/rate-limits';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

/**
 * The body of nearly every evaluation, `{ "tenantSlug": "<slug>" }`, is recognised without the
 * class-validator round trip; any other body is validated in full as EvaluateDto.
 */
const EVALUATE_BODY = new FastPathBody(
  EvaluateDto,
  (body): body is EvaluateDto =>
    typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 1 && isSlug((body as { tenantSlug?: unknown }).tenantSlug),
);

/** Evaluation is for a tenant's members and operators (checked in the service), not operators only. */
@ApiTags('flags')
@ApiBearerAuth()
@ServedFromMemory()
@EvaluationBudget()
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
  @ApiBody({ type: EvaluateDto })
  async evaluate(@Actor() actor: ActorType, @Body(EVALUATE_BODY) dto: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { tenantSlug } = dto as EvaluateDto;
    if (!isSlug(tenantSlug)) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    const result = await this.flags.evaluate(actor, tenantSlug);
    if (result.stale) reply.header('X-Flags-Stale', 'true');
    reply.header('Cache-Control', 'private, no-cache');
    reply.header('Content-Type', 'application/json; charset=utf-8');
    return result.json;
  }
}

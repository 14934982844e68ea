import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { FastPathBody } from '../../common/http/validation';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { EvaluateDto } from './dto/flag.dto';
import { EvaluationAnswers, isPlainEvaluateBody } from './evaluation-answers';
import { EvaluationBudget } from '../../common/http/rate-limits';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

/** The body of nearly every evaluation is recognised without the class-validator round trip; any other is validated in full. */
const EVALUATE_BODY = new FastPathBody(EvaluateDto, isPlainEvaluateBody);

/** Evaluation is for a tenant's members and operators (checked in the service), not operators only. */
@ApiTags('flags')
@ApiBearerAuth()
@ServedFromMemory()
@EvaluationBudget()
@Controller('flags')
export class FlagEvaluationController {
  constructor(private readonly answers: EvaluationAnswers) {}

  @Post('evaluate')
  @HttpCode(200)
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: { type: 'boolean' } },
    description: 'Every flag for the tenant; header X-Flags-Stale: true when MongoDB is unreachable and the last snapshot answered',
  })
  @ApiNotFoundResponse({ description: 'No such tenant, or the caller is neither its member nor an operator' })
  @ApiBody({ type: EvaluateDto })
  async evaluate(@Actor() actor: ActorType, @Body(EVALUATE_BODY) dto: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.answers.evaluate(actor, (dto as EvaluateDto).tenantSlug, reply);
  }
}

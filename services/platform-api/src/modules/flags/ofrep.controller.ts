import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from '@dezky/contracts';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_BODY_REF } from '../../common/openapi/error-responses';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { EvaluationAnswers, OFREP_ERROR_CODES, type OfrepFailure } from './evaluation-answers';
import { EvaluationBudget } from '../../common/http/rate-limits';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

/** OFREP's error answer (its 400 and 404 bodies). */
class OfrepErrorDto implements OfrepFailure {
  @ApiPropertyOptional({ description: 'The flag, on a single evaluation' }) key?: string;
  @ApiProperty({ enum: OFREP_ERROR_CODES }) errorCode!: OfrepFailure['errorCode'];
  @ApiProperty() errorDetails!: string;
}

/**
 * What `context` must hold here: the tenant's slug as `targetingKey` (OFREP leaves it optional;
 * a missing one is TARGETING_KEY_MISSING, anything but a slug INVALID_CONTEXT).
 */
const OFREP_REQUEST: SchemaObject = {
  type: 'object',
  required: ['context'],
  properties: {
    context: {
      type: 'object',
      required: ['targetingKey'],
      properties: {
        targetingKey: { type: 'string', minLength: SLUG_MIN, maxLength: SLUG_MAX, pattern: SLUG_PATTERN.source, description: "The tenant's slug" },
      },
    },
  },
};

/** A refused context is OFREP's error; a body that is not JSON at all is the API's. */
const OFREP_BAD_REQUEST = {
  description: 'TARGETING_KEY_MISSING or INVALID_CONTEXT (no tenant the caller can see); or a body that is not JSON',
  schema: { anyOf: [{ $ref: getSchemaPath(OfrepErrorDto) }, { $ref: ERROR_BODY_REF }] },
};

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0). `context.targetingKey` is the
 * tenant's slug; authorization is that of POST /flags/evaluate: the tenant's members and
 * operators. A tenant the caller cannot see is an INVALID_CONTEXT, whether it exists or not.
 */
@ApiTags('ofrep')
@ApiBearerAuth()
@ApiExtraModels(OfrepErrorDto)
@ApiBadRequestResponse(OFREP_BAD_REQUEST)
@ServedFromMemory()
@EvaluationBudget()
@Controller('ofrep/v1/evaluate/flags')
export class OfrepController {
  constructor(private readonly answers: EvaluationAnswers) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate every flag for a tenant (bulk)' })
  @ApiBody({ schema: OFREP_REQUEST })
  @ApiOkResponse({ description: 'OFREP bulk evaluation; ETag, and 304 on a matching If-None-Match' })
  async bulk(@Actor() actor: ActorType, @Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answers.ofrepBulk(actor, body, req.headers['if-none-match'], reply);
  }

  @Post(':key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate one flag for a tenant' })
  @ApiBody({ schema: OFREP_REQUEST })
  @ApiOkResponse({ description: 'OFREP single evaluation' })
  @ApiNotFoundResponse({ description: 'FLAG_NOT_FOUND', type: OfrepErrorDto })
  async single(@Actor() actor: ActorType, @Param('key') key: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.answers.ofrepSingle(actor, key, body, reply);
  }
}

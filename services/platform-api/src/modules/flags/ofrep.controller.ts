import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { isSlug, SLUG_MAX, SLUG_MIN, SLUG_PATTERN, type Flag } from '@dezky/contracts';
import { explain, type EvaluationContext, type Explanation } from '@dezky/flags-core';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_BODY_REF } from '../../common/openapi/error-responses';
import { isOperator, type Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { EventStreamHub, INACTIVITY_DELAY_SEC } from './event-streams';
import { tenantEtag } from './flags-snapshot';
import { FlagsService } from './flags.service';
import { EvaluationBudget } from '../../common/http/rate-limits';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'UNKNOWN';

interface OfrepSuccess {
  key: string;
  value: boolean;
  reason: OfrepReason;
  variant: 'on' | 'off';
  metadata: Record<string, string | number | boolean>;
}

const OFREP_ERROR_CODES = ['TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'PARSE_ERROR', 'FLAG_NOT_FOUND', 'GENERAL'] as const;

interface OfrepFailure {
  key?: string;
  errorCode: (typeof OFREP_ERROR_CODES)[number];
  errorDetails: string;
}

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

/** Our explanation in OpenFeature's terms; the detailed reason travels in metadata. */
function toOfrep(flag: Flag, e: Explanation): OfrepSuccess {
  const reason: OfrepReason =
    e.reason === 'off' ? 'DISABLED' : e.reason === 'on' ? 'STATIC' : e.reason === 'inside-rollout' || e.reason === 'outside-rollout' ? 'SPLIT' : 'TARGETING_MATCH';
  const metadata: Record<string, string | number | boolean> = { dezkyReason: e.reason, flagVersion: flag.version };
  if (e.reason === 'scope-mismatch') metadata.axis = e.axis;
  if (e.reason === 'inside-rollout' || e.reason === 'outside-rollout') {
    metadata.bucket = e.bucket;
    metadata.pct = e.pct;
  }
  return { key: flag.key, value: e.value, reason, variant: e.value ? 'on' : 'off', metadata };
}

/**
 * `JSON.stringify(toOfrep(flag, e))`, remembered per flag object and explanation: a flag has at
 * most a few hundred distinct answers (reason, axis, bucket), so a bulk answer is mostly joins
 * of strings made once. The cache goes with the flag object when a change replaces it.
 */
const ofrepJsonCache = new WeakMap<Flag, Map<string, string>>();
export function ofrepJson(flag: Flag, e: Explanation): string {
  let byAnswer = ofrepJsonCache.get(flag);
  if (!byAnswer) ofrepJsonCache.set(flag, (byAnswer = new Map()));
  const id = e.reason === 'scope-mismatch' ? `${e.reason}:${e.axis}` : e.reason === 'inside-rollout' || e.reason === 'outside-rollout' ? `${e.reason}:${e.bucket}:${e.pct}` : e.reason;
  let json = byAnswer.get(id);
  if (json === undefined) byAnswer.set(id, (json = JSON.stringify(toOfrep(flag, e))));
  return json;
}

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
  constructor(
    private readonly flags: FlagsService,
    private readonly streams: EventStreamHub,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate every flag for a tenant (bulk)' })
  @ApiBody({ schema: OFREP_REQUEST })
  @ApiOkResponse({ description: 'OFREP bulk evaluation; ETag, and 304 on a matching If-None-Match' })
  async bulk(@Actor() actor: ActorType, @Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.context(actor, body);
    if ('errorCode' in ctx) {
      reply.code(400).send({ errorCode: ctx.errorCode, errorDetails: ctx.errorDetails });
      return;
    }
    const snap = await this.flags.snapshotNow();
    // The answers depend on the flag set and on the tenant's attributes.
    const etag = tenantEtag(snap, ctx);
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'private, no-cache');
    if (this.flags.isStale) reply.header('X-Flags-Stale', 'true');
    const inm = req.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
      reply.code(304).send();
      return;
    }
    const eventStreams = [
      {
        type: 'sse',
        endpoint: { requestUri: this.streams.requestUri({ userId: actor.userId, operator: isOperator(actor), tenantId: ctx.tenantId }) },
        inactivityDelaySec: INACTIVITY_DELAY_SEC,
      },
    ];
    let flags = '';
    for (const f of snap.flags) flags += (flags ? ',' : '') + ofrepJson(f, explain(f, ctx, snap.buckets));
    reply.code(200).header('Content-Type', 'application/json; charset=utf-8');
    reply.send(`{"flags":[${flags}],"eventStreams":${JSON.stringify(eventStreams)},"metadata":${JSON.stringify({ tenant: ctx.tenantSlug, environment: ctx.environment })}}`);
  }

  @Post(':key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate one flag for a tenant' })
  @ApiBody({ schema: OFREP_REQUEST })
  @ApiOkResponse({ description: 'OFREP single evaluation' })
  @ApiNotFoundResponse({ description: 'FLAG_NOT_FOUND', type: OfrepErrorDto })
  async single(@Actor() actor: ActorType, @Param('key') key: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.context(actor, body);
    if ('errorCode' in ctx) {
      reply.code(400).send({ key, ...ctx });
      return;
    }
    const snap = await this.flags.snapshotNow();
    if (this.flags.isStale) reply.header('X-Flags-Stale', 'true');
    const flag = snap.flagsByKey.get(key);
    if (!flag) {
      reply.code(404).send({ key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `Flag '${key}' was not found` });
      return;
    }
    reply.code(200).send(toOfrep(flag, explain(flag, ctx, snap.buckets)));
  }

  private async context(actor: ActorType, body: unknown): Promise<EvaluationContext | Omit<OfrepFailure, 'key'>> {
    const context = typeof body === 'object' && body !== null ? (body as { context?: unknown }).context : undefined;
    if (typeof context !== 'object' || context === null || Array.isArray(context)) {
      return { errorCode: 'INVALID_CONTEXT', errorDetails: 'The request body must be { "context": { "targetingKey": "<tenant slug>" } }' };
    }
    const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
    if (targetingKey === undefined || targetingKey === null || targetingKey === '') {
      return { errorCode: 'TARGETING_KEY_MISSING', errorDetails: "Context is missing targetingKey: the tenant's slug" };
    }
    if (typeof targetingKey !== 'string') {
      // Never stringified: an object's own toString or valueOf key would make String() throw.
      return { errorCode: 'INVALID_CONTEXT', errorDetails: `targetingKey must be a string (the tenant's slug), not ${Array.isArray(targetingKey) ? 'an array' : typeof targetingKey === 'object' ? 'an object' : `a ${typeof targetingKey}`}` };
    }
    const unseen = { errorCode: 'INVALID_CONTEXT' as const, errorDetails: `targetingKey ${JSON.stringify(targetingKey.slice(0, 64))} names no tenant you can see` };
    if (!isSlug(targetingKey)) return unseen;
    try {
      return await this.flags.authorizedContext(actor, await this.flags.snapshotNow(), targetingKey);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return unseen;
      throw error;
    }
  }
}

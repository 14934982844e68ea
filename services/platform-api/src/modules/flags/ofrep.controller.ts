import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isSlug, type Flag } from '@dezky/contracts';
import { explain, type EvaluationContext, type Explanation } from '@dezky/flags-core';
import type { Request, Response } from 'express';
import type { Actor as ActorType } from '../auth/actor';
import { Actor } from '../auth/auth.decorators';
import { FlagsService } from './flags.service';

type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'UNKNOWN';

interface OfrepSuccess {
  key: string;
  value: boolean;
  reason: OfrepReason;
  variant: 'on' | 'off';
  metadata: Record<string, string | number | boolean>;
}

interface OfrepFailure {
  key?: string;
  errorCode: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'PARSE_ERROR' | 'FLAG_NOT_FOUND' | 'GENERAL';
  errorDetails: string;
}

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
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0). `context.targetingKey` is the
 * tenant's slug; authorization is that of POST /flags/evaluate: the tenant's members and
 * operators. A tenant the caller cannot see is an INVALID_CONTEXT, whether it exists or not.
 */
@ApiTags('ofrep')
@ApiBearerAuth()
@Controller('ofrep/v1/evaluate/flags')
export class OfrepController {
  constructor(private readonly flags: FlagsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate every flag for a tenant (bulk)' })
  @ApiBody({ schema: { type: 'object', properties: { context: { type: 'object', properties: { targetingKey: { type: 'string' } } } } } })
  @ApiOkResponse({ description: 'OFREP bulk evaluation; ETag, and 304 on a matching If-None-Match' })
  async bulk(@Actor() actor: ActorType, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = await this.context(actor, body);
    if ('errorCode' in ctx) {
      res.status(400).json({ errorCode: ctx.errorCode, errorDetails: ctx.errorDetails });
      return;
    }
    const snap = await this.flags.snapshotNow();
    // The answers depend on the flag set and on the tenant's attributes.
    const etag = `"${snap.etag.slice(1, -1)}.${snap.revision}.${ctx.tenantSlug}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (this.flags.isStale) res.setHeader('X-Flags-Stale', 'true');
    const inm = req.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
      res.status(304).end();
      return;
    }
    res.status(200).json({ flags: snap.flags.map((f) => toOfrep(f, explain(f, ctx, snap.buckets))), metadata: { tenant: ctx.tenantSlug, environment: ctx.environment } });
  }

  @Post(':key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate one flag for a tenant' })
  @ApiBody({ schema: { type: 'object', properties: { context: { type: 'object', properties: { targetingKey: { type: 'string' } } } } } })
  @ApiOkResponse({ description: 'OFREP single evaluation' })
  async single(@Actor() actor: ActorType, @Param('key') key: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const ctx = await this.context(actor, body);
    if ('errorCode' in ctx) {
      res.status(400).json({ key, ...ctx });
      return;
    }
    const snap = await this.flags.snapshotNow();
    if (this.flags.isStale) res.setHeader('X-Flags-Stale', 'true');
    const flag = snap.flagsByKey.get(key);
    if (!flag) {
      res.status(404).json({ key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `Flag '${key}' was not found` });
      return;
    }
    res.status(200).json(toOfrep(flag, explain(flag, ctx, snap.buckets)));
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
    const unseen = { errorCode: 'INVALID_CONTEXT' as const, errorDetails: `targetingKey ${JSON.stringify(String(targetingKey).slice(0, 64))} names no tenant you can see` };
    if (typeof targetingKey !== 'string' || !isSlug(targetingKey)) return unseen;
    try {
      return await this.flags.authorizedContext(actor, await this.flags.snapshotNow(), targetingKey);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return unseen;
      throw error;
    }
  }
}

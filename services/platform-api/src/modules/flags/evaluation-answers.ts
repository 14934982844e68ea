import { Injectable } from '@nestjs/common';
import { isSlug, type Flag } from '@dezky/contracts';
import { explain, explainAllCompiledCodes, explanationOfCode, type EvaluationContext, type Explanation } from '@dezky/flags-core';
import { NotFoundError } from '../../common/errors/domain-errors';
import { isOperator, type Actor } from '../auth/actor';
import { EvaluationCounter } from './evaluation-counter';
import { EventStreamHub, INACTIVITY_DELAY_SEC } from './event-streams';
import { tenantEtag } from './flags-snapshot';
import { FlagsService } from './flags.service';

type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'UNKNOWN';

interface OfrepSuccess {
  key: string;
  value: boolean;
  reason: OfrepReason;
  variant: 'on' | 'off';
  metadata: Record<string, string | number | boolean>;
}

export const OFREP_ERROR_CODES = ['TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'PARSE_ERROR', 'FLAG_NOT_FOUND', 'GENERAL'] as const;

export interface OfrepFailure {
  key?: string;
  errorCode: (typeof OFREP_ERROR_CODES)[number];
  errorDetails: string;
}

/** Our explanation in OpenFeature's terms; the detailed reason travels in metadata. */
export function toOfrep(flag: Flag, e: Explanation): OfrepSuccess {
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
 * A flag's OFREP answers as JSON, by explanation code (flags-core's `explainAllCompiledCodes`:
 * a reason, a failing axis, or a rollout bucket), each made once. A flag has at most a few
 * hundred distinct answers, so a bulk answer is mostly joins of strings made once, found by an
 * array index, with no explanation object per flag. The cache goes with the flag object when a
 * change replaces it.
 */
const ofrepJsonByCode = new WeakMap<Flag, string[]>();

/**
 * The explanation codes of one bulk answer. Answers are built synchronously, one at a time, so
 * one array serves them all: a typed array per request would be an allocation with a backing
 * store of its own on the hottest path.
 */
let scratchCodes = new Uint8Array(256);
function codesFor(length: number): Uint8Array {
  if (scratchCodes.length < length) scratchCodes = new Uint8Array(Math.max(length, scratchCodes.length * 2));
  return scratchCodes;
}

/** `JSON.stringify(toOfrep(flag, explanationOfCode(code, flag.pct)))`, remembered per flag object and code. */
export function ofrepJson(flag: Flag, code: number): string {
  let answers = ofrepJsonByCode.get(flag);
  if (!answers) ofrepJsonByCode.set(flag, (answers = []));
  return (answers[code] ??= JSON.stringify(toOfrep(flag, explanationOfCode(code, flag.pct))));
}

/** What the answers are written to: Fastify's reply, or the serving lane's, which follows Fastify's rules. */
export interface AnswerReply {
  code(statusCode: number): AnswerReply;
  header(name: string, value: string): AnswerReply;
  send(payload?: string | object): unknown;
}

/** The body of nearly every evaluation, `{ "tenantSlug": "<slug>" }`, recognised without class-validator. */
export function isPlainEvaluateBody(body: unknown): body is { tenantSlug: string } {
  return typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 1 && isSlug((body as { tenantSlug?: unknown }).tenantSlug);
}

/**
 * The answers of the evaluation routes, written to the reply: the controllers and the serving
 * lane (ServingLane) both answer through these, so the two cannot differ. Headers are set only
 * once nothing can throw any more.
 *
 * OFREP (the OpenFeature Remote Evaluation Protocol 0.3.0): `context.targetingKey` is the
 * tenant's slug; a tenant the caller cannot see is an INVALID_CONTEXT, whether it exists or not.
 */
@Injectable()
export class EvaluationAnswers {
  constructor(
    private readonly flags: FlagsService,
    private readonly streams: EventStreamHub,
    private readonly counter: EvaluationCounter,
  ) {}

  /**
   * POST /flags/evaluate: every flag's value for the tenant, as the JSON text to send. Throws
   * the 404 of a missing tenant for one the actor may not see.
   */
  async evaluate(actor: Actor, tenantSlug: string, reply: AnswerReply): Promise<string> {
    if (!isSlug(tenantSlug)) throw new NotFoundError(`Tenant ${tenantSlug} not found`);
    const result = await this.flags.evaluate(actor, tenantSlug);
    this.counter.countAll(result.flags);
    if (result.stale) reply.header('X-Flags-Stale', 'true');
    reply.header('Cache-Control', 'private, no-cache');
    reply.header('Content-Type', 'application/json; charset=utf-8');
    return result.json;
  }

  /** OFREP, every flag (bulk): 200 with an ETag, 304 when If-None-Match holds it, 400 for a refused context. */
  async ofrepBulk(actor: Actor, body: unknown, ifNoneMatch: string | string[] | undefined, reply: AnswerReply): Promise<void> {
    const ctx = await this.context(actor, body);
    if ('errorCode' in ctx) {
      reply.code(400).send({ errorCode: ctx.errorCode, errorDetails: ctx.errorDetails });
      return;
    }
    const snap = await this.flags.snapshotNow();
    // A 304 counts too: the client goes on using the answers it has.
    this.counter.countAll(snap.flags);
    // The answers depend on the flag set and on the tenant's attributes.
    const etag = tenantEtag(snap, ctx);
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'private, no-cache');
    if (this.flags.isStale) reply.header('X-Flags-Stale', 'true');
    if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
      reply.code(304).send();
      return;
    }
    const requestUri = this.streams.requestUri({ userId: actor.userId, operator: isOperator(actor), tenantId: ctx.tenantId });
    const count = snap.flags.length;
    const codes = explainAllCompiledCodes(snap.compiled, ctx, snap.buckets, codesFor(count));
    let flags = '';
    for (let i = 0; i < count; i++) flags += (i > 0 ? ',' : '') + ofrepJson(snap.flags[i]!, codes[i]!);
    reply.code(200).header('Content-Type', 'application/json; charset=utf-8');
    // As JSON.stringify would write { flags, eventStreams: [{ type, endpoint: { requestUri }, inactivityDelaySec }], metadata: { tenant, environment } }.
    reply.send(
      `{"flags":[${flags}],"eventStreams":[{"type":"sse","endpoint":{"requestUri":${JSON.stringify(requestUri)}},"inactivityDelaySec":${INACTIVITY_DELAY_SEC}}],` +
        `"metadata":{"tenant":${JSON.stringify(ctx.tenantSlug)},"environment":${JSON.stringify(ctx.environment)}}}`,
    );
  }

  /** OFREP, one flag: 200, 404 FLAG_NOT_FOUND, or 400 for a refused context. */
  async ofrepSingle(actor: Actor, key: string, body: unknown, reply: AnswerReply): Promise<void> {
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
    this.counter.countOne(key);
    reply.code(200).send(toOfrep(flag, explain(flag, ctx, snap.buckets)));
  }

  private async context(actor: Actor, body: unknown): Promise<EvaluationContext | Omit<OfrepFailure, 'key'>> {
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

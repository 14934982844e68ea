import { Controller, Get, Query, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { NotFoundError } from '../../common/errors/domain-errors';
import { Public } from '../../common/http/public.decorator';
import { OPERATOR_AUDIENCE, type Actor } from '../auth/actor';
import { ActorService } from '../users/actor.service';
import { EventStreamHub } from './event-streams';
import { FlagsService } from './flags.service';

/** The Node response under the HTTP framework's own, taken over for a long-lived stream. */
function takeOver(res: unknown): ServerResponse {
  const reply = res as { hijack?: () => void; raw?: ServerResponse };
  if (typeof reply.hijack === 'function' && reply.raw) {
    reply.hijack();
    return reply.raw;
  }
  return res as ServerResponse;
}

/** A stream's write errors end in its close event, which closes it in the hub. */
const ignore = () => {};

const INVALID_STREAM = 'The event-stream URL is invalid or has expired; evaluate again for a new one';

/**
 * OFREP change notifications (server-sent events). The URL comes from a bulk evaluation's
 * `eventStreams` and carries a signed grant for one caller and one tenant, checked here with
 * the same rule as evaluation (the tenant's members and operators). The URL is a credential:
 * it is never logged.
 */
@ApiTags('ofrep')
@Public()
@Controller('ofrep/v1/events')
export class OfrepEventsController {
  constructor(
    private readonly hub: EventStreamHub,
    private readonly flags: FlagsService,
    private readonly actors: ActorService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Flag-change notifications for one tenant (text/event-stream, OFREP 0.3 refetchEvaluation events)' })
  @ApiQuery({ name: 'stream', required: true, description: 'The signed grant from the bulk evaluation’s eventStreams' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream: `data: {"type":"refetchEvaluation","etag":"...","lastModified":<unix s>}`' })
  @ApiUnauthorizedResponse({ description: 'The grant is missing, forged or expired' })
  async events(@Query('stream') credential: unknown, @Res() res: unknown): Promise<void> {
    const grant = this.hub.verify(credential);
    const user = grant ? await this.actors.byId(grant.userId) : undefined;
    if (!grant || !user) throw new UnauthorizedException(INVALID_STREAM);
    const actor: Actor = {
      userId: user.id,
      email: user.email,
      name: user.name,
      platformAdmin: user.platformAdmin,
      issuer: user.iss,
      subject: user.sub,
      audiences: grant.operator ? [OPERATOR_AUDIENCE] : [],
    };
    const snap = await this.flags.snapshotNow();
    const ctx = snap.tenantsById.get(grant.tenantId);
    if (!ctx) throw new NotFoundError('Tenant not found');
    await this.flags.authorizedContext(actor, snap, ctx.tenantSlug);

    const raw = takeOver(res);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx, Traefik) must pass events through as they come.
      'x-accel-buffering': 'no',
    });
    raw.flushHeaders();
    // The framework's per-request bookkeeping (its request, reply and route context) hangs off
    // the response's finish and error listeners, kept for the stream's whole life; a stream
    // needs none of it, and 10,000 streams would keep 10,000 of them.
    raw.removeAllListeners('finish');
    raw.removeAllListeners('error');
    raw.on('error', ignore);
    const close = this.hub.open(ctx.tenantId, raw);
    raw.on('close', close);
  }
}

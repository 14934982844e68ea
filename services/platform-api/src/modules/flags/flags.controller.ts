import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Patch, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IMPACT_PAGE_LIMIT, isSlug } from '@dezky/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../common/errors/domain-errors';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { CreateFlagDto, FlagChangeDto, FlagDraftDto, FlagDto, FlagExplanationDto, FlagImpactDto, FlagImpactQueryDto, FlagListDto, FlagVersionDto, RevertFlagDto } from './dto/flag.dto';
import { parseIfMatch } from './flag-etag';
import { IF_MATCH, KeyParam } from './flag-params';
import { FlagsService } from './flags.service';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';

function notModified(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  return typeof header === 'string' && header.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*');
}

/** The ETag of one flag: opaque, new on every change of the flag. */
const FLAG_ETAG = { ETag: { description: 'Opaque validator of this flag, new on every change; send it back as If-Match', schema: { type: 'string' } } };

@ApiTags('flags')
@OperatorOnly()
@ApiExtraModels(FlagChangeDto)
@Controller('flags')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ServedFromMemory()
  @ApiOkResponse({ type: FlagListDto, headers: { ETag: { description: 'Validator of the whole flag set', schema: { type: 'string' } } } })
  async list(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlagListDto | undefined> {
    const { items, etag } = await this.flags.list();
    reply.header('ETag', etag);
    if (notModified(req, etag)) {
      reply.code(304);
      return undefined;
    }
    return { items, etag };
  }

  @Post()
  @ApiCreatedResponse({ type: FlagDto, description: 'Created off, pct 0', headers: FLAG_ETAG })
  @ApiConflictResponse({ description: 'The key exists' })
  async create(@Actor() actor: ActorType, @Body() dto: CreateFlagDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlagDto> {
    const flag = await this.flags.create(actor, dto.key, dto.description);
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Get(':key')
  @ApiOkResponse({ type: FlagDto, headers: FLAG_ETAG })
  @ApiNotFoundResponse()
  async get(@KeyParam() key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlagDto> {
    const flag = await this.flags.get(key);
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Patch(':key')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: FlagDto, headers: FLAG_ETAG })
  @ApiBadRequestResponse({ description: 'An invalid draft, or an If-Match that is not "*" or a list of entity tags' })
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing changed' })
  @ApiConflictResponse({ description: 'The flag is protected: open a change request (POST /flags/:key/change-requests)' })
  async update(
    @Actor() actor: ActorType,
    @KeyParam() key: string,
    @Body() dto: FlagDraftDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FlagDto> {
    const flag = await this.flags.update(actor, key, dto, parseIfMatch(ifMatch));
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Delete(':key')
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'An If-Match that is not "*" or a list of entity tags' })
  @ApiNotFoundResponse()
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing was deleted' })
  @ApiConflictResponse({ description: 'The flag is protected: un-protect it through a change request first' })
  async remove(@Actor() actor: ActorType, @KeyParam() key: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.flags.remove(actor, key, parseIfMatch(ifMatch));
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: "The flag's contents at one of its kept versions (to preview a revert)" })
  @ApiOkResponse({ type: FlagVersionDto })
  @ApiNotFoundResponse({ description: 'No such flag, or a version it never had or no longer keeps' })
  atVersion(@KeyParam() key: string, @Param('version') version: string): Promise<FlagVersionDto> {
    if (!/^[1-9][0-9]{0,8}$/.test(version)) throw new NotFoundError(`Flag ${key} has no version ${JSON.stringify(version.slice(0, 20))}`);
    return this.flags.atVersion(key, Number(version));
  }

  @Post(':key/revert')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make a new version whose contents equal an earlier one',
    description: 'Applied like any change (history, audit as flag.revert, push), only under the If-Match of the flag as the revert was previewed.',
  })
  @ApiHeader({ ...IF_MATCH, required: true })
  @ApiOkResponse({ type: FlagDto, headers: FLAG_ETAG })
  @ApiNotFoundResponse({ description: 'No such flag, or a version it never had or no longer keeps' })
  @ApiConflictResponse({ description: 'The flag already equals that version, or it is protected: open a change request with { revertTo }' })
  @ApiResponse({ status: 428, description: 'No If-Match: a revert must name the flag as it was previewed' })
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing changed' })
  async revert(
    @Actor() actor: ActorType,
    @KeyParam() key: string,
    @Body() dto: RevertFlagDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FlagDto> {
    const flag = await this.flags.revert(actor, key, dto.version, parseIfMatch(ifMatch));
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Post(':key/kill')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Kill switch: the flag off at 0% for every tenant, at once',
    description:
      'Applied to the flag as it is now, without If-Match (the incident path never stops at a conflict), like any change ' +
      '(history, push) and audited as flag.kill. The scope is kept, so an undo (PATCH with the killed ETag) can restore the flag. ' +
      "A flag already off at 0% is answered unchanged (no new version); the press is audited all the same and cancels the flag's planned ramp.",
  })
  @ApiOkResponse({ type: FlagDto, headers: FLAG_ETAG })
  @ApiNotFoundResponse()
  async kill(@Actor() actor: ActorType, @KeyParam() key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlagDto> {
    const flag = await this.flags.kill(actor, key);
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Post(':key/protect')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Protect the flag: from now on its changes need another platform administrator to approve a change request',
    description:
      'Audited as flag.protect. PATCH and revert of a protected flag answer 409 and name POST /flags/:key/change-requests; the kill switch still applies at once. ' +
      'Refused (409) while there are too few platform administrators for anyone to approve. Un-protecting is a change request with `{ "protected": false }`.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: FlagDto, headers: FLAG_ETAG })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Nobody could approve its changes: too few platform administrators' })
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing changed' })
  async protect(@Actor() actor: ActorType, @KeyParam() key: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<FlagDto> {
    const flag = await this.flags.protect(actor, key, parseIfMatch(ifMatch));
    reply.header('ETag', flag.etag);
    return flag;
  }

  @Get(':key/explain')
  @ApiQuery({ name: 'tenant', required: true, description: "The tenant's slug" })
  @ApiOkResponse({ type: FlagExplanationDto })
  @ApiNotFoundResponse({ description: 'No such flag or tenant' })
  explain(@KeyParam() key: string, @Query('tenant') tenant: unknown): Promise<FlagExplanationDto> {
    if (typeof tenant !== 'string' || !isSlug(tenant)) throw new NotFoundError(`Tenant ${JSON.stringify(tenant)} not found`);
    return this.flags.explain(key, tenant) as unknown as Promise<FlagExplanationDto>;
  }

  @Post(':key/impact')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview who would gain and lose the flag under a draft',
    description:
      `Computed exactly over every tenant. The counts (total, before, after, gainedCount, lostCount) are always exact; ` +
      `gained and lost hold at most ${IMPACT_PAGE_LIMIT} sorted slugs each. Page through one list with ` +
      `?list=gained&offset=${IMPACT_PAGE_LIMIT}&limit=${IMPACT_PAGE_LIMIT} (the other list then comes back empty).`,
  })
  @ApiOkResponse({
    type: FlagImpactDto,
    description: 'Exact counts and one page of each slug list',
    headers: { 'Server-Timing': { description: 'impact;dur=<ms>: server time of the preview', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'An invalid draft, or a bad list, offset or limit (named in the message)' })
  @ApiNotFoundResponse()
  async impact(
    @KeyParam() key: string,
    @Body() draft: FlagDraftDto,
    @Query() page: FlagImpactQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FlagImpactDto> {
    const started = process.hrtime.bigint();
    const impact = await this.flags.impact(key, draft, { list: page.list, offset: page.offset ?? 0, limit: page.limit ?? IMPACT_PAGE_LIMIT });
    // Server time of the computation, for clients and the benchmark (Server-Timing, in ms).
    reply.header('Server-Timing', `impact;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    return impact;
  }
}

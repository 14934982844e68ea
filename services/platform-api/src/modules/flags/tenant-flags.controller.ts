import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BadRequestError } from '../../common/errors/domain-errors';
import { ServedFromMemory } from '../../common/http/served-from-memory.decorator';
import { SlugParam } from '../../common/http/slug.param';
import { OperatorOnly } from '../auth/auth.decorators';
import { TenantChangeDto, TenantChangeImpactDto, TenantFlagListDto } from './dto/tenant-flags.dto';
import { FlagsService } from './flags.service';

/** A tenant's flags as operators look at them: every value with its reason, and what a change would flip. */
@ApiTags('flags')
@OperatorOnly()
@Controller('tenants')
export class TenantFlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get(':slug/flags')
  @ServedFromMemory()
  @ApiOperation({ summary: 'Every flag for the tenant, with its value and why' })
  @ApiOkResponse({ type: TenantFlagListDto, description: 'Header X-Flags-Stale: true when MongoDB is unreachable and the last snapshot answered' })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  async list(@SlugParam() slug: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TenantFlagListDto> {
    const { items, stale } = await this.flags.forTenant(slug);
    if (stale) reply.header('X-Flags-Stale', 'true');
    return { items };
  }

  @Post(':slug/flags/impact')
  @HttpCode(200)
  @ApiOperation({ summary: "Which flags a change of the tenant's plan or partner would flip, with the reasons before and after; changes nothing" })
  @ApiOkResponse({ type: TenantChangeImpactDto })
  @ApiNotFoundResponse({ description: 'No such tenant' })
  impact(@SlugParam() slug: string, @Body() dto: TenantChangeDto): Promise<TenantChangeImpactDto> {
    if (dto.plan === undefined && dto.partnerId === undefined) throw new BadRequestError('Name a plan or a partnerId to preview');
    return this.flags.tenantChangeImpact(slug, dto);
  }
}

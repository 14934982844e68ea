import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/http/page-query.dto';
import { SlugParam } from '../../common/http/slug.param';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { TenantPageDto } from '../tenants/dto/tenant.dto';
import { CreatePartnerDto, ListPartnersQueryDto, PartnerPageDto, PartnerWithStatsDto, UpdatePartnerDto } from './dto/partner.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@OperatorOnly()
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @ApiOkResponse({ type: PartnerPageDto })
  list(@Query() query: ListPartnersQueryDto): Promise<PartnerPageDto> {
    return this.partners.list(query);
  }

  @Post()
  @ApiCreatedResponse({ type: PartnerWithStatsDto })
  @ApiConflictResponse({ description: 'Slug taken' })
  create(@Actor() actor: ActorType, @Body() dto: CreatePartnerDto): Promise<PartnerWithStatsDto> {
    return this.partners.create(actor, dto);
  }

  @Get(':slug')
  @ApiOkResponse({ type: PartnerWithStatsDto })
  @ApiNotFoundResponse()
  get(@SlugParam() slug: string): Promise<PartnerWithStatsDto> {
    return this.partners.get(slug);
  }

  @Patch(':slug')
  @ApiOkResponse({ type: PartnerWithStatsDto })
  @ApiNotFoundResponse()
  update(@Actor() actor: ActorType, @SlugParam() slug: string, @Body() dto: UpdatePartnerDto): Promise<PartnerWithStatsDto> {
    return this.partners.update(actor, slug, dto);
  }

  @Get(':slug/tenants')
  @ApiOkResponse({ type: TenantPageDto })
  tenants(@SlugParam() slug: string, @Query() page: PageQueryDto): Promise<TenantPageDto> {
    return this.partners.tenantsOf(slug, page);
  }

  /** Soft-terminates: never a hard delete, since tenants may still reference the partner. */
  @Delete(':slug')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnerWithStatsDto, description: 'The terminated partner' })
  @ApiNotFoundResponse()
  terminate(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<PartnerWithStatsDto> {
    return this.partners.terminate(actor, slug);
  }
}

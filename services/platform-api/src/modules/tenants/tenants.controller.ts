import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ProvisioningState, Subscription } from '@dezky/contracts';
import { SlugParam } from '../../common/http/slug.param';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import {
  CreateTenantDto,
  ListTenantsQueryDto,
  ProvisioningStateDto,
  SubscriptionDto,
  TenantDetailDto,
  TenantPageDto,
  UpdateSubscriptionDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

class ReconcileResultDto {
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ProvisioningStateDto' } })
  provisioning!: Record<string, ProvisioningState>;
}

/**
 * Open to every signed-in user; who may do what is decided per route: members see their own
 * tenants, operators see all, and changes other than create and reconcile are operator-only.
 */
@ApiTags('tenants')
@ApiBearerAuth()
@ApiExtraModels(ProvisioningStateDto)
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiCreatedResponse({ type: TenantDetailDto })
  @ApiConflictResponse({ description: 'Slug or a domain already taken' })
  create(@Actor() actor: ActorType, @Body() dto: CreateTenantDto): Promise<TenantDetailDto> {
    return this.tenants.create(actor, dto);
  }

  @Get()
  @ApiOkResponse({ type: TenantPageDto, description: 'Operators: every tenant; others: their own' })
  list(@Actor() actor: ActorType, @Query() query: ListTenantsQueryDto): Promise<TenantPageDto> {
    return this.tenants.list(actor, query);
  }

  @Get(':slug')
  @ApiOkResponse({ type: TenantDetailDto })
  @ApiNotFoundResponse({ description: 'No such tenant, or the caller is neither a member nor an operator' })
  get(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<TenantDetailDto> {
    return this.tenants.get(actor, slug);
  }

  @Patch(':slug')
  @OperatorOnly()
  @ApiOkResponse({ type: TenantDetailDto })
  @ApiConflictResponse({ description: 'A domain is taken, or the partner is terminated' })
  update(@Actor() actor: ActorType, @SlugParam() slug: string, @Body() dto: UpdateTenantDto): Promise<TenantDetailDto> {
    return this.tenants.update(actor, slug, dto);
  }

  @Post(':slug/suspend')
  @HttpCode(200)
  @OperatorOnly()
  @ApiOkResponse({ type: TenantDetailDto, description: 'Idempotent' })
  suspend(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<TenantDetailDto> {
    return this.tenants.setStatus(actor, slug, 'suspended');
  }

  @Post(':slug/resume')
  @HttpCode(200)
  @OperatorOnly()
  @ApiOkResponse({ type: TenantDetailDto, description: 'Idempotent' })
  resume(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<TenantDetailDto> {
    return this.tenants.setStatus(actor, slug, 'active');
  }

  @Post(':slug/reconcile')
  @HttpCode(200)
  @ApiOkResponse({ type: ReconcileResultDto, description: 'The per-integration provisioning states' })
  @ApiForbiddenResponse({ description: 'A member who is not the owner' })
  @ApiNotFoundResponse()
  reconcile(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<ReconcileResultDto> {
    return this.tenants.reconcile(actor, slug);
  }

  @Get(':slug/subscription')
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiNotFoundResponse()
  subscription(@Actor() actor: ActorType, @SlugParam() slug: string): Promise<Subscription> {
    return this.tenants.subscription(actor, slug);
  }

  @Patch(':slug/subscription')
  @OperatorOnly()
  @ApiOkResponse({ type: SubscriptionDto })
  updateSubscription(@Actor() actor: ActorType, @SlugParam() slug: string, @Body() dto: UpdateSubscriptionDto): Promise<Subscription> {
    return this.tenants.updateSubscription(actor, slug, dto);
  }
}

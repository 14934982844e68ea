import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { SlugParam } from '../../../common/http/slug.param';
import type { Actor as ActorType } from '../../auth/actor';
import { Actor, OperatorOnly } from '../../auth/auth.decorators';
import { TenantsService } from '../tenants.service';
import { AddDomainDto, TenantDomainDto } from './domain.dto';
import { DomainParam } from './domain.param';

const NOT_FOUND = 'No such tenant (or the caller is neither a member nor an operator), or the tenant has no such domain';

/**
 * A tenant's domains: its members and operators add, check and remove them; operators alone
 * verify one by hand. Only verified domains are unique across tenants.
 */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants/:slug/domains')
export class TenantDomainsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiCreatedResponse({ type: TenantDomainDto, description: 'The domain, pending, with the TXT record that verifies it' })
  @ApiBadRequestResponse({ description: 'Not a domain name (the message names it)' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'The tenant has it already or has the most domains it may, or another tenant has verified it' })
  add(@Actor() actor: ActorType, @SlugParam() slug: string, @Body() dto: AddDomainDto): Promise<TenantDomainDto> {
    return this.tenants.addDomain(actor, slug, dto.domain);
  }

  @Delete(':domain')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed; a verified domain is free for other tenants again' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async remove(@Actor() actor: ActorType, @SlugParam() slug: string, @DomainParam() domain: string): Promise<void> {
    await this.tenants.removeDomain(actor, slug, domain);
  }

  @Post(':domain/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantDomainDto, description: "Verified: the domain's TXT record was found (or it was verified already)" })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another tenant has verified the domain: this claim can no longer be verified' })
  @ApiUnprocessableEntityResponse({ description: 'The TXT record is not on the domain (the message names it), or its DNS failed' })
  @ApiServiceUnavailableResponse({ description: "The platform's DNS resolver did not answer" })
  verify(@Actor() actor: ActorType, @SlugParam() slug: string, @DomainParam() domain: string): Promise<TenantDomainDto> {
    return this.tenants.verifyDomain(actor, slug, domain);
  }

  @Post(':domain/mark-verified')
  @HttpCode(200)
  @OperatorOnly()
  @ApiOkResponse({ type: TenantDomainDto, description: 'Verified by hand, without the DNS record (or verified already); audited' })
  @ApiNotFoundResponse({ description: 'No such tenant, or the tenant has no such domain' })
  @ApiConflictResponse({ description: 'Another tenant has verified the domain' })
  markVerified(@Actor() actor: ActorType, @SlugParam() slug: string, @DomainParam() domain: string): Promise<TenantDomainDto> {
    return this.tenants.markDomainVerified(actor, slug, domain);
  }
}

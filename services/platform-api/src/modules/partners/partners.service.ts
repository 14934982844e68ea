import { Injectable } from '@nestjs/common';
import type { Page, Partner, PartnerWithStats, Tenant } from '@dezky/contracts';
import { BadRequestError, ConflictError, NotFoundError } from '../../common/errors/domain-errors';
import type { Actor } from '../auth/actor';
import { TenantDirectory } from '../tenants/tenant-directory';
import type { CreatePartnerDto, ListPartnersQueryDto, UpdatePartnerDto } from './dto/partner.dto';
import { PartnersRepository } from '../partner-directory/partners.repository';
import { WriteRecorder } from '../writes/write-recorder';

/** The stats of a partner without customers. */
const NO_CUSTOMERS = { customers: 0, mrr: 0, trialing: 0, trialingMrr: 0 } as const;

/** The partner's share of its customers' revenue, in whole cents. */
export function marginCents(mrr: number, marginPct: number): number {
  return Math.round((mrr * marginPct) / 100);
}

@Injectable()
export class PartnersService {
  constructor(
    private readonly partners: PartnersRepository,
    private readonly writes: WriteRecorder,
    private readonly tenants: TenantDirectory,
  ) {}

  async create(actor: Actor, dto: CreatePartnerDto): Promise<PartnerWithStats> {
    if (await this.partners.findBySlug(dto.slug)) throw new ConflictError(`A partner with slug ${dto.slug} already exists`);
    const partner = await this.partners.create({
      slug: dto.slug,
      name: dto.name,
      domain: dto.domain,
      marginPct: dto.marginPct,
      contactInfo: { ...dto.contactInfo },
      billingInfo: { ...dto.billingInfo },
    });
    await this.writes.recordWrite({ actor, action: 'partner.create', target: { type: 'partner', id: partner.id }, before: null, after: partner });
    return { ...partner, ...NO_CUSTOMERS, margin: 0 };
  }

  async list(query: ListPartnersQueryDto): Promise<Page<PartnerWithStats>> {
    const { items, total } = await this.partners.list(query);
    return { items: await this.withStats(items), total, limit: query.limit, offset: query.offset };
  }

  async get(slug: string): Promise<PartnerWithStats> {
    const [partner] = await this.withStats([await this.require(slug)]);
    return partner!;
  }

  async update(actor: Actor, slug: string, dto: UpdatePartnerDto): Promise<PartnerWithStats> {
    const before = await this.require(slug);
    const set: Record<string, unknown> = {};
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.domain !== undefined) set.domain = dto.domain;
    if (dto.marginPct !== undefined) set.marginPct = dto.marginPct;
    // A given contact or billing card replaces the whole card.
    if (dto.contactInfo !== undefined) set.contactInfo = { ...dto.contactInfo };
    if (dto.billingInfo !== undefined) set.billingInfo = { ...dto.billingInfo };
    if (Object.keys(set).length === 0) throw new BadRequestError('Nothing to change: send at least one of name, domain, marginPct, contactInfo, billingInfo');
    const after = (await this.partners.update(slug, set))!;
    await this.writes.recordWrite({ actor, action: 'partner.update', target: { type: 'partner', id: after.id }, before, after });
    return this.get(slug);
  }

  /** Soft termination; idempotent. Tenants stay attached, new attachments are refused. */
  async terminate(actor: Actor, slug: string): Promise<PartnerWithStats> {
    const before = await this.require(slug);
    if (before.status === 'active') {
      const after = await this.partners.terminate(slug, new Date());
      if (after) await this.writes.recordWrite({ actor, action: 'partner.terminate', target: { type: 'partner', id: after.id }, before, after });
    }
    return this.get(slug);
  }

  async tenantsOf(slug: string, page: { limit: number; offset: number }): Promise<Page<Tenant>> {
    const partner = await this.require(slug);
    return this.tenants.listByPartner(partner.id, page);
  }

  private async require(slug: string): Promise<Partner> {
    const partner = await this.partners.findBySlug(slug);
    if (!partner) throw new NotFoundError(`Partner ${slug} not found`);
    return partner;
  }

  private async withStats(partners: Partner[]): Promise<PartnerWithStats[]> {
    const stats = await this.tenants.partnerStats(partners.map((p) => p.id));
    return partners.map((p) => {
      const s = stats.get(p.id) ?? NO_CUSTOMERS;
      return { ...p, ...s, margin: marginCents(s.mrr, p.marginPct) };
    });
  }
}

import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Partner as PartnerDto, PartnerStatus } from '@dezky/contracts';
import mongoose, { Model } from 'mongoose';
import { backfillSlugOrder, NATURAL_SLUG_ORDER, SLUG_ORDER_FIELD, slugOrderKey } from '../../common/mongo/natural-order';
import { Repository, type Page } from '../../common/mongo/repository';
import { searchFilter } from '../../common/mongo/search';
import { idOf, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { Partner, type BillingInfo, type ContactInfo } from './partner.schema';

function toDto(doc: Lean<Partner>): PartnerDto {
  return {
    id: idOf(doc),
    slug: doc.slug,
    name: doc.name,
    domain: doc.domain,
    status: doc.status,
    marginPct: doc.marginPct,
    contactInfo: { ...doc.contactInfo },
    billingInfo: { ...doc.billingInfo },
    terminatedAt: doc.terminatedAt ? doc.terminatedAt.toISOString() : null,
    ...timestampsOf(doc),
  };
}

export interface NewPartner {
  slug: string;
  name: string;
  domain: string;
  marginPct: number;
  contactInfo: ContactInfo;
  billingInfo: BillingInfo;
}

@Injectable()
export class PartnersRepository extends Repository<Partner, PartnerDto> implements OnApplicationBootstrap {
  constructor(@InjectModel(Partner.name) partners: Model<Partner>) {
    super(partners, toDto);
  }

  /** Partners stored before they had a natural sort key get theirs before the API serves. */
  async onApplicationBootstrap(): Promise<void> {
    await backfillSlugOrder(this.model);
  }

  create(p: NewPartner): Promise<PartnerDto> {
    return this.created({ ...p, [SLUG_ORDER_FIELD]: slugOrderKey(p.slug), status: 'active' });
  }

  findBySlug(slug: string): Promise<PartnerDto | null> {
    return this.one({ slug });
  }

  findBySlugs(slugs: string[]): Promise<PartnerDto[]> {
    return this.many({ slug: mongoose.trusted({ $in: slugs }) });
  }

  /** In the natural order of their slugs (common/mongo/natural-order.ts). */
  list(q: { search?: string; status?: PartnerStatus; limit: number; offset: number }): Promise<Page<PartnerDto>> {
    const filter: Record<string, unknown> = {};
    if (q.status) filter.status = q.status;
    if (q.search) Object.assign(filter, searchFilter(['slug', 'name', 'domain'], q.search));
    return this.page(filter, NATURAL_SLUG_ORDER, q);
  }

  update(slug: string, set: Record<string, unknown>): Promise<PartnerDto | null> {
    return this.updated({ slug }, { $set: set });
  }

  /** Soft termination: the partner stays, tenants keep referencing it. */
  terminate(slug: string, at: Date): Promise<PartnerDto | null> {
    return this.updated({ slug, status: 'active' }, { $set: { status: 'terminated', terminatedAt: at } });
  }

  async allSlugs(): Promise<string[]> {
    const docs = await this.model.find({}, { slug: 1 }).lean<{ slug: string }[]>();
    return docs.map((d) => d.slug);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Partner as PartnerDto, PartnerStatus } from '@dezky/contracts';
import mongoose, { Model, Types } from 'mongoose';
import { searchFilter } from '../../common/mongo/search';
import { idOf, isObjectIdHex, type Lean } from '../../common/mongo/to-plain';
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
    createdAt: (doc.createdAt ?? new Date(0)).toISOString(),
    updatedAt: (doc.updatedAt ?? new Date(0)).toISOString(),
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
export class PartnersRepository {
  constructor(@InjectModel(Partner.name) private readonly partners: Model<Partner>) {}

  async create(p: NewPartner): Promise<PartnerDto> {
    const doc = await this.partners.create({ ...p, status: 'active' });
    return toDto(doc.toObject() as Lean<Partner>);
  }

  async findBySlug(slug: string): Promise<PartnerDto | null> {
    const doc = await this.partners.findOne({ slug }).lean<Lean<Partner>>();
    return doc ? toDto(doc) : null;
  }

  async findById(id: string): Promise<PartnerDto | null> {
    if (!isObjectIdHex(id)) return null;
    const doc = await this.partners.findById(id).lean<Lean<Partner>>();
    return doc ? toDto(doc) : null;
  }

  async findByIds(ids: string[]): Promise<PartnerDto[]> {
    const docs = await this.partners.find({ _id: mongoose.trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }) }).lean<Lean<Partner>[]>();
    return docs.map(toDto);
  }

  async findBySlugs(slugs: string[]): Promise<PartnerDto[]> {
    const docs = await this.partners.find({ slug: mongoose.trusted({ $in: slugs }) }).lean<Lean<Partner>[]>();
    return docs.map(toDto);
  }

  async list(q: { search?: string; status?: PartnerStatus; limit: number; offset: number }): Promise<{ items: PartnerDto[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (q.status) filter.status = q.status;
    if (q.search) Object.assign(filter, searchFilter(['slug', 'name', 'domain'], q.search));
    const trusted = mongoose.trusted(filter);
    const [docs, total] = await Promise.all([
      this.partners.find(trusted).sort({ slug: 1 }).skip(q.offset).limit(q.limit).lean<Lean<Partner>[]>(),
      this.partners.countDocuments(trusted),
    ]);
    return { items: docs.map(toDto), total };
  }

  async update(slug: string, set: Record<string, unknown>): Promise<PartnerDto | null> {
    const doc = await this.partners.findOneAndUpdate({ slug }, { $set: set }, { new: true }).lean<Lean<Partner>>();
    return doc ? toDto(doc) : null;
  }

  /** Soft termination: the partner stays, tenants keep referencing it. */
  async terminate(slug: string, at: Date): Promise<PartnerDto | null> {
    const doc = await this.partners
      .findOneAndUpdate({ slug, status: 'active' }, { $set: { status: 'terminated', terminatedAt: at } }, { new: true })
      .lean<Lean<Partner>>();
    return doc ? toDto(doc) : null;
  }

  async allSlugs(): Promise<string[]> {
    const docs = await this.partners.find({}, { slug: 1 }).lean<{ slug: string }[]>();
    return docs.map((d) => d.slug);
  }
}

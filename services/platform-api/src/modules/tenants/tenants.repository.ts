import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Plan, ProvisioningState, TenantStatus } from '@dezky/contracts';
import mongoose, { Model, Types } from 'mongoose';
import { searchFilter } from '../../common/mongo/search';
import { idOf, isObjectIdHex, type Lean } from '../../common/mongo/to-plain';
import { SUBSCRIPTIONS_COLLECTION } from '../subscriptions/subscription.schema';
import { Tenant, type ProvisioningStateEntry } from './tenant.schema';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  plan: Plan;
  domains: string[];
  status: TenantStatus;
  partnerId: string | null;
  provisioning: Record<string, ProvisioningState>;
  createdAt: string;
  updatedAt: string;
}

type LeanTenant = Omit<Lean<Tenant>, 'provisioning'> & { provisioning?: Record<string, ProvisioningStateEntry> | Map<string, ProvisioningStateEntry> };

function toRecord(doc: LeanTenant): TenantRecord {
  const provisioning: Record<string, ProvisioningState> = {};
  const entries = doc.provisioning instanceof Map ? [...doc.provisioning.entries()] : Object.entries(doc.provisioning ?? {});
  for (const [name, p] of entries) {
    provisioning[name] = { state: p.state, at: new Date(p.at).toISOString(), ...(p.error ? { error: p.error } : {}), ...(p.detail ? { detail: p.detail } : {}) };
  }
  return {
    id: idOf(doc),
    slug: doc.slug,
    name: doc.name,
    plan: doc.plan,
    domains: doc.domains ?? [],
    status: doc.status,
    partnerId: doc.partnerId ? doc.partnerId.toHexString() : null,
    provisioning,
    createdAt: (doc.createdAt ?? new Date(0)).toISOString(),
    updatedAt: (doc.updatedAt ?? new Date(0)).toISOString(),
  };
}

export interface TenantQuery {
  search?: string;
  partnerId?: string;
  status?: TenantStatus;
  plan?: Plan;
  /** Restricts the list to these tenants (a portal user's own). */
  ids?: string[];
  limit: number;
  offset: number;
}

/** What flag evaluation needs of every tenant. */
export interface TenantAttributes {
  id: string;
  slug: string;
  plan: Plan;
  partnerId: string | null;
}

@Injectable()
export class TenantsRepository {
  constructor(@InjectModel(Tenant.name) private readonly tenants: Model<Tenant>) {}

  async create(t: { slug: string; name: string; plan: Plan; domains: string[] }): Promise<TenantRecord> {
    const doc = await this.tenants.create({ slug: t.slug, name: t.name, plan: t.plan, status: 'active', ...(t.domains.length ? { domains: t.domains } : {}) });
    return toRecord(doc.toObject() as LeanTenant);
  }

  async findBySlug(slug: string): Promise<TenantRecord | null> {
    const doc = await this.tenants.findOne({ slug }).lean<LeanTenant>();
    return doc ? toRecord(doc) : null;
  }

  async findByIds(ids: string[]): Promise<TenantRecord[]> {
    const docs = await this.tenants.find({ _id: mongoose.trusted({ $in: ids.filter(isObjectIdHex).map((id) => new Types.ObjectId(id)) }) }).lean<LeanTenant[]>();
    return docs.map(toRecord);
  }

  async findSlugs(slugs: string[]): Promise<string[]> {
    const docs = await this.tenants.find({ slug: mongoose.trusted({ $in: slugs }) }, { slug: 1 }).lean<{ slug: string }[]>();
    return docs.map((d) => d.slug);
  }

  /** Other tenants already holding any of these domains. */
  async findDomainOwners(domains: string[], exceptId?: string): Promise<{ slug: string; domains: string[] }[]> {
    if (!domains.length) return [];
    const filter: Record<string, unknown> = { domains: mongoose.trusted({ $in: domains }) };
    if (exceptId) filter._id = mongoose.trusted({ $ne: new Types.ObjectId(exceptId) });
    return this.tenants.find(filter, { slug: 1, domains: 1 }).lean<{ slug: string; domains: string[] }[]>();
  }

  async list(q: TenantQuery): Promise<{ items: TenantRecord[]; total: number }> {
    const filter: Record<string, unknown> = {};
    if (q.ids) filter._id = mongoose.trusted({ $in: q.ids.map((id) => new Types.ObjectId(id)) });
    if (q.partnerId) filter.partnerId = new Types.ObjectId(q.partnerId);
    if (q.status) filter.status = q.status;
    if (q.plan) filter.plan = q.plan;
    if (q.search) Object.assign(filter, searchFilter(['slug', 'name'], q.search));
    const trusted = mongoose.trusted(filter);
    const [docs, total] = await Promise.all([
      this.tenants.find(trusted).sort({ slug: 1 }).skip(q.offset).limit(q.limit).lean<LeanTenant[]>(),
      this.tenants.countDocuments(trusted),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** Applies an explicit `$set`/`$unset`; `$unset` removes a field instead of storing null. */
  async update(slug: string, set: Record<string, unknown>, unset: string[]): Promise<TenantRecord | null> {
    const update: Record<string, unknown> = {};
    if (Object.keys(set).length) update.$set = set;
    if (unset.length) update.$unset = Object.fromEntries(unset.map((f) => [f, 1]));
    const doc = await this.tenants.findOneAndUpdate({ slug }, update, { new: true }).lean<LeanTenant>();
    return doc ? toRecord(doc) : null;
  }

  async setProvisioning(id: string, name: string, state: ProvisioningState): Promise<TenantRecord | null> {
    const doc = await this.tenants
      .findByIdAndUpdate(id, { $set: { [`provisioning.${name}`]: { ...state, at: new Date(state.at) } } }, { new: true })
      .lean<LeanTenant>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Customers and MRR per partner in one aggregation (no query per partner): tenants grouped
   * by partnerId, joined with their subscription; only active subscriptions count toward MRR.
   */
  async partnerStats(partnerIds: string[]): Promise<Map<string, { customers: number; mrr: number }>> {
    if (!partnerIds.length) return new Map();
    const rows = await this.tenants.aggregate<{ _id: Types.ObjectId; customers: number; mrr: number }>([
      { $match: { partnerId: { $in: partnerIds.map((id) => new Types.ObjectId(id)) } } },
      { $lookup: { from: SUBSCRIPTIONS_COLLECTION, localField: '_id', foreignField: 'tenantId', as: 'subscription' } },
      { $unwind: { path: '$subscription', preserveNullAndEmptyArrays: true } },
      {
        $group: {
          _id: '$partnerId',
          customers: { $sum: 1 },
          mrr: { $sum: { $cond: [{ $eq: ['$subscription.status', 'active'] }, '$subscription.monthlyPrice', 0] } },
        },
      },
    ]);
    return new Map(rows.map((r) => [r._id.toHexString(), { customers: r.customers, mrr: r.mrr }]));
  }

  /** Every tenant's evaluation attributes (or those of `ids`), for the flags snapshot. */
  async allAttributes(ids?: string[]): Promise<TenantAttributes[]> {
    const filter = ids ? { _id: mongoose.trusted({ $in: ids.filter(isObjectIdHex).map((id) => new Types.ObjectId(id)) }) } : {};
    const docs = await this.tenants.find(filter, { slug: 1, plan: 1, partnerId: 1 }).lean<{ _id: Types.ObjectId; slug: string; plan: Plan; partnerId?: Types.ObjectId }[]>();
    return docs.map((d) => ({ id: d._id.toHexString(), slug: d.slug, plan: d.plan, partnerId: d.partnerId ? d.partnerId.toHexString() : null }));
  }
}

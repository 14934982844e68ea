import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Plan, ProvisioningState, Tenant as TenantDto, TenantStatus } from '@dezky/contracts';
import mongoose, { Model, Types } from 'mongoose';
import { NATURAL_SLUG_ORDER, SLUG_ORDER_FIELD, slugOrderKey } from '../../common/mongo/natural-order';
import { Repository, type Page } from '../../common/mongo/repository';
import { searchFilter } from '../../common/mongo/search';
import { idOf, isObjectIdHex, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { SUBSCRIPTIONS_COLLECTION } from '../subscriptions/subscription.schema';
import { publicDomain, verifiedNames, type DomainEntry } from './domains/domain-entries';
import { Tenant, type ProvisioningStateEntry } from './tenant.schema';

/** A tenant as the API answers it, but for its partner, which the directory resolves. */
export type TenantRecord = Omit<TenantDto, 'partner'>;

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
    domains: (doc.domains ?? []).map(publicDomain),
    status: doc.status,
    partnerId: doc.partnerId ? doc.partnerId.toHexString() : null,
    provisioning,
    ...timestampsOf(doc),
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

/** A tenant's domains as stored, with the write count every change of them is conditioned on. */
export interface DomainState {
  rev: number;
  entries: DomainEntry[];
}

/** A write would have given a verified domain to a second tenant (the unique index refused it). */
/** A partner's customers and what they bill (see TenantsRepository.partnerStats). */
export interface PartnerStats {
  customers: number;
  /** Cents per month of the active subscriptions. */
  mrr: number;
  /** Customers whose subscription is still trialing, and what they will bill once active. */
  trialing: number;
  trialingMrr: number;
}

export class VerifiedDomainTakenError extends Error {
  constructor() {
    super('A verified domain belongs to another tenant');
    this.name = 'VerifiedDomainTakenError';
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000;
}

/**
 * The filter and update that replace `domains` with `entries` if they are still at `rev`, with
 * `verifiedDomains` derived from them. Empty lists are removed rather than stored.
 */
function domainsWrite(rev: number, entries: readonly DomainEntry[]): { filter: Record<string, unknown>; set: Record<string, unknown>; unset: string[] } {
  const verified = verifiedNames(entries);
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  if (entries.length) set.domains = entries.map((e) => ({ ...e }));
  else unset.push('domains');
  if (verified.length) set.verifiedDomains = verified;
  else unset.push('verifiedDomains');
  // A tenant whose domains were never written has no count yet: `null` matches the missing field.
  return { filter: { domainsRev: rev === 0 ? mongoose.trusted({ $in: [0, null] }) : rev }, set, unset };
}

@Injectable()
export class TenantsRepository extends Repository<Tenant, TenantRecord> {
  constructor(@InjectModel(Tenant.name) tenants: Model<Tenant>) {
    super(tenants, toRecord);
  }

  /** New tenants' domains are all pending, so creation never touches `verifiedDomains`. */
  create(t: { slug: string; name: string; plan: Plan; domains: DomainEntry[] }): Promise<TenantRecord> {
    if (t.domains.some((d) => d.status !== 'pending')) throw new Error('A tenant is created with pending domains only');
    return this.created({
      slug: t.slug,
      [SLUG_ORDER_FIELD]: slugOrderKey(t.slug),
      name: t.name,
      plan: t.plan,
      status: 'active',
      domainsRev: 0,
      ...(t.domains.length ? { domains: t.domains } : {}),
    });
  }

  findBySlug(slug: string): Promise<TenantRecord | null> {
    return this.one({ slug });
  }

  async findSlugs(slugs: string[]): Promise<string[]> {
    const docs = await this.model.find({ slug: mongoose.trusted({ $in: slugs }) }, { slug: 1 }).lean<{ slug: string }[]>();
    return docs.map((d) => d.slug);
  }

  /** Which of `names` another tenant (not `exceptId`) holds verified. */
  async verifiedElsewhere(names: string[], exceptId?: string): Promise<string[]> {
    if (!names.length) return [];
    const filter: Record<string, unknown> = { verifiedDomains: mongoose.trusted({ $in: names }) };
    if (exceptId) filter._id = mongoose.trusted({ $ne: new Types.ObjectId(exceptId) });
    const owners = await this.model.find(filter, { verifiedDomains: 1 }).lean<{ verifiedDomains: string[] }[]>();
    const taken = new Set(owners.flatMap((o) => o.verifiedDomains));
    return names.filter((n) => taken.has(n));
  }

  async domainState(id: string): Promise<DomainState | null> {
    const doc = await this.model.findById(id, { domains: 1, domainsRev: 1 }).lean<{ domains?: DomainEntry[]; domainsRev?: number }>();
    return doc ? { rev: doc.domainsRev ?? 0, entries: doc.domains ?? [] } : null;
  }

  /**
   * Replaces the tenant's domains if nobody changed them since `rev` was read: null when someone
   * did (read again and retry). Throws VerifiedDomainTakenError when a domain it verifies is
   * verified by another tenant, which the unique index decides, concurrent writers included.
   */
  writeDomains(id: string, rev: number, entries: readonly DomainEntry[]): Promise<TenantRecord | null> {
    return this.writeWithDomains({ _id: new Types.ObjectId(id) }, {}, [], { rev, entries: [...entries] });
  }

  /** In the natural order of their slugs (common/mongo/natural-order.ts). */
  list(q: TenantQuery): Promise<Page<TenantRecord>> {
    const filter: Record<string, unknown> = {};
    if (q.ids) filter._id = mongoose.trusted({ $in: q.ids.map((id) => new Types.ObjectId(id)) });
    if (q.partnerId) filter.partnerId = new Types.ObjectId(q.partnerId);
    if (q.status) filter.status = q.status;
    if (q.plan) filter.plan = q.plan;
    if (q.search) Object.assign(filter, searchFilter(['slug', 'name'], q.search));
    return this.page(filter, NATURAL_SLUG_ORDER, q);
  }

  /**
   * Applies an explicit `$set`/`$unset`; `$unset` removes a field instead of storing null. With
   * `domains`, they are replaced in the same update, as writeDomains does (null when stale).
   */
  update(slug: string, set: Record<string, unknown>, unset: string[], domains?: DomainState): Promise<TenantRecord | null> {
    return this.writeWithDomains({ slug }, set, unset, domains);
  }

  private async writeWithDomains(
    where: Record<string, unknown>,
    set: Record<string, unknown>,
    unset: string[],
    domains: DomainState | undefined,
  ): Promise<TenantRecord | null> {
    let filter = where;
    const update: Record<string, unknown> = {};
    const allSet = { ...set };
    const allUnset = [...unset];
    if (domains) {
      const write = domainsWrite(domains.rev, domains.entries);
      filter = { ...where, ...write.filter };
      Object.assign(allSet, write.set);
      allUnset.push(...write.unset);
      update.$inc = { domainsRev: 1 };
    }
    if (Object.keys(allSet).length) update.$set = allSet;
    if (allUnset.length) update.$unset = Object.fromEntries(allUnset.map((f) => [f, 1]));
    try {
      return await this.updated(filter, update);
    } catch (error) {
      if (isDuplicateKey(error) && domains) throw new VerifiedDomainTakenError();
      throw error;
    }
  }

  setProvisioning(id: string, name: string, state: ProvisioningState): Promise<TenantRecord | null> {
    return this.updated({ _id: id }, { $set: { [`provisioning.${name}`]: { ...state, at: new Date(state.at) } } });
  }

  /**
   * Customers and MRR per partner in one aggregation (no query per partner): tenants grouped
   * by partnerId, joined with their subscription; only active subscriptions count toward MRR,
   * trialing ones are counted apart (what they will bill once active).
   */
  async partnerStats(partnerIds: string[]): Promise<Map<string, PartnerStats>> {
    if (!partnerIds.length) return new Map();
    const rows = await this.model.aggregate<{ _id: Types.ObjectId } & PartnerStats>([
      { $match: { partnerId: { $in: partnerIds.map((id) => new Types.ObjectId(id)) } } },
      { $lookup: { from: SUBSCRIPTIONS_COLLECTION, localField: '_id', foreignField: 'tenantId', as: 'subscription' } },
      { $unwind: { path: '$subscription', preserveNullAndEmptyArrays: true } },
      {
        $group: {
          _id: '$partnerId',
          customers: { $sum: 1 },
          mrr: { $sum: { $cond: [{ $eq: ['$subscription.status', 'active'] }, '$subscription.monthlyPrice', 0] } },
          trialing: { $sum: { $cond: [{ $eq: ['$subscription.status', 'trialing'] }, 1, 0] } },
          trialingMrr: { $sum: { $cond: [{ $eq: ['$subscription.status', 'trialing'] }, '$subscription.monthlyPrice', 0] } },
        },
      },
    ]);
    return new Map(rows.map((r) => [r._id.toHexString(), { customers: r.customers, mrr: r.mrr, trialing: r.trialing, trialingMrr: r.trialingMrr }]));
  }

  /** Every tenant's evaluation attributes (or those of `ids`), for the flags snapshot. */
  async allAttributes(ids?: string[]): Promise<TenantAttributes[]> {
    const filter = ids ? { _id: mongoose.trusted({ $in: ids.filter(isObjectIdHex).map((id) => new Types.ObjectId(id)) }) } : {};
    const docs = await this.model.find(filter, { slug: 1, plan: 1, partnerId: 1 }).lean<{ _id: Types.ObjectId; slug: string; plan: Plan; partnerId?: Types.ObjectId }[]>();
    return docs.map((d) => ({ id: d._id.toHexString(), slug: d.slug, plan: d.plan, partnerId: d.partnerId ? d.partnerId.toHexString() : null }));
  }
}

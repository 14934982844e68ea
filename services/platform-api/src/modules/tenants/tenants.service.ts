import { Injectable } from '@nestjs/common';
import {
  MAX_TENANT_DOMAINS,
  type DomainVerificationMethod,
  type MembershipRole,
  type Page,
  type ProvisioningState,
  type Subscription,
  type Tenant,
  type TenantDetail,
  type TenantDomain,
} from '@dezky/contracts';
import { BadRequestError, ConflictError, DomainError, ForbiddenError, NotFoundError } from '../../common/errors/domain-errors';
import { isOperator, type Actor } from '../auth/actor';
import { MembershipsService } from '../memberships/memberships.service';
import { PartnerDirectory } from '../partner-directory/partner-directory';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { WriteRecorder } from '../writes/write-recorder';
import { DomainDns } from './domains/domain-dns';
import { pendingEntry, publicDomain, replaceDomainList, verificationRecordValue, verifiedNames, type DomainEntry } from './domains/domain-entries';
import type { CreateTenantDto, ListTenantsQueryDto, UpdateSubscriptionDto, UpdateTenantDto } from './dto/tenant.dto';
import { TenantDirectory } from './tenant-directory';
import { TenantsRepository, VerifiedDomainTakenError, type DomainState, type TenantRecord } from './tenants.repository';

/**
 * Writes of a tenant's domains are conditioned on what was read; when another write of the same
 * tenant's domains came first, the change is applied again to the fresh list, this many times.
 */
const DOMAIN_WRITE_ATTEMPTS = 5;

/** What a change of a tenant's domains makes of the list it reads; null: nothing to write. */
type DomainsChange = (entries: readonly DomainEntry[]) => DomainEntry[] | null;

export interface TenantAccess {
  tenant: TenantRecord;
  role: MembershipRole | null;
  operator: boolean;
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly memberships: MembershipsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly provisioning: ProvisioningService,
    private readonly writes: WriteRecorder,
    private readonly dns: DomainDns,
    private readonly partners: PartnerDirectory,
    private readonly directory: TenantDirectory,
  ) {}

  /** Any signed-in user: the caller becomes the owner; a trial subscription starts; provisioning runs. */
  async create(actor: Actor, dto: CreateTenantDto): Promise<TenantDetail> {
    if (await this.tenants.findBySlug(dto.slug)) throw new ConflictError(`A tenant with slug ${dto.slug} already exists`);
    const domains = dto.domains ?? [];
    await this.assertNotVerifiedElsewhere(domains);
    const now = new Date();
    const created = await this.tenants.create({ slug: dto.slug, name: dto.name, plan: dto.plan ?? 'starter', domains: domains.map((d) => pendingEntry(d, now)) });
    await this.memberships.add(actor.userId, created.id, 'owner');
    await this.subscriptions.startTrial(actor, created.id, created.plan);
    const tenant = await this.runProvisioning(created);
    await this.writes.recordWrite({ actor, action: 'tenant.create', target: { type: 'tenant', id: tenant.id }, before: null, after: tenant });
    return this.detail(tenant, 'owner');
  }

  /** Operators see every tenant; anyone else sees the tenants they belong to. */
  async list(actor: Actor, query: ListTenantsQueryDto): Promise<Page<Tenant>> {
    let partnerId: string | undefined;
    if (query.partner) {
      const [partner] = await this.partners.findBySlugs([query.partner]);
      if (!partner) return { items: [], total: 0, limit: query.limit, offset: query.offset };
      partnerId = partner.id;
    }
    const ids = isOperator(actor) ? undefined : (await this.memberships.listForUser(actor.userId)).map((m) => m.tenantId);
    const { items, total } = await this.tenants.list({ ...query, partnerId, ids });
    return { items: await this.directory.withPartners(items), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, slug: string): Promise<TenantDetail> {
    const { tenant, role } = await this.requireAccess(actor, slug);
    return this.detail(tenant, role);
  }

  /**
   * Operator only: name, plan, domains and partner, as one explicit $set/$unset. Domains replace
   * the list: those the tenant has keep their status, new ones start pending like a customer's.
   */
  async update(actor: Actor, slug: string, dto: UpdateTenantDto): Promise<TenantDetail> {
    const before = await this.requireExisting(slug);
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.plan !== undefined) set.plan = dto.plan;
    if (dto.partnerId === null) unset.push('partnerId');
    else if (dto.partnerId !== undefined) {
      const partner = await this.partners.requireAttachable(dto.partnerId);
      set.partnerId = partner.id;
    }
    if (!Object.keys(set).length && !unset.length && dto.domains === undefined) {
      throw new BadRequestError('Nothing to change: send at least one of name, plan, domains, partnerId');
    }
    let after: TenantRecord;
    if (dto.domains !== undefined) {
      const names = dto.domains;
      await this.assertNotVerifiedElsewhere(names, before.id);
      const written = (await this.changeDomains(before.id, (entries) => replaceDomainList(entries, names), (state) => this.tenants.update(slug, set, unset, state)))!;
      after = written.tenant;
      // Integrations follow the verified domains: removing one provisions the tenant again.
      if (!sameNames(verifiedNames(written.before), verifiedNames(written.entries))) after = await this.runProvisioning(after);
    } else {
      after = (await this.tenants.update(slug, set, unset))!;
    }
    if (dto.plan !== undefined && dto.plan !== before.plan) await this.subscriptions.update(actor, after.id, { plan: dto.plan });
    // Plan and partner are evaluation attributes: every process's snapshot follows the change.
    await this.recordTenantWrite(actor, 'tenant.update', before, after);
    return this.detail(after, await this.memberships.roleIn(actor.userId, after.id));
  }

  /** Idempotent: suspending a suspended tenant changes nothing and records nothing. */
  async setStatus(actor: Actor, slug: string, status: 'active' | 'suspended'): Promise<TenantDetail> {
    const before = await this.requireExisting(slug);
    let after = before;
    if (before.status !== status) {
      after = (await this.tenants.update(slug, { status }, []))!;
      // Status is no evaluation attribute: the read models have nothing to re-read.
      await this.writes.recordWrite({ actor, action: status === 'suspended' ? 'tenant.suspend' : 'tenant.resume', target: { type: 'tenant', id: after.id }, before, after, changes: [] });
    }
    return this.detail(after, await this.memberships.roleIn(actor.userId, after.id));
  }

  /** A member or an operator claims a domain for the tenant: it starts pending, with its TXT record to publish. */
  async addDomain(actor: Actor, slug: string, name: string): Promise<TenantDomain> {
    const { tenant } = await this.requireAccess(actor, slug);
    await this.assertNotVerifiedElsewhere([name], tenant.id);
    const written = await this.changeDomains(tenant.id, (entries) => {
      if (entries.some((e) => e.name === name)) throw new ConflictError(`Tenant ${slug} already has the domain ${name}`);
      if (entries.length >= MAX_TENANT_DOMAINS) throw new ConflictError(`Tenant ${slug} has ${MAX_TENANT_DOMAINS} domains, the most it may have: remove one first`);
      return [...entries, pendingEntry(name)];
    });
    await this.recordTenantWrite(actor, 'tenant.domain_add', tenant, written!.tenant);
    return publicDomain(written!.entries.find((e) => e.name === name)!);
  }

  /** A member or an operator removes a domain, pending or verified; a verified one is free for others again. */
  async removeDomain(actor: Actor, slug: string, name: string): Promise<void> {
    const { tenant } = await this.requireAccess(actor, slug);
    const written = await this.changeDomains(tenant.id, (entries) => {
      if (!entries.some((e) => e.name === name)) throw new NotFoundError(`Tenant ${slug} has no domain ${name}`);
      return entries.filter((e) => e.name !== name);
    });
    let after = written!.tenant;
    if (verifiedNames(written!.before).includes(name)) after = await this.runProvisioning(after);
    await this.recordTenantWrite(actor, 'tenant.domain_remove', tenant, after);
  }

  /**
   * A member or an operator asks for a pending domain to be checked: verified when its DNS carries
   * the claim's TXT record. 409 once another tenant has verified the domain, 422 while the record
   * is missing. Checking a verified domain changes nothing.
   */
  async verifyDomain(actor: Actor, slug: string, name: string): Promise<TenantDomain> {
    const { tenant } = await this.requireAccess(actor, slug);
    const entry = await this.requireDomain(tenant, name);
    if (entry.status === 'verified') return publicDomain(entry);
    await this.assertClaimVerifiable(name, tenant.id);
    await this.dns.requireTxtRecord(name, verificationRecordValue(entry.token));
    return this.setVerified(actor, tenant, entry, 'dns');
  }

  /** Operator only: verifies a pending domain by hand, without its DNS record; audited like any operator write. */
  async markDomainVerified(actor: Actor, slug: string, name: string): Promise<TenantDomain> {
    const tenant = await this.requireExisting(slug);
    const entry = await this.requireDomain(tenant, name);
    if (entry.status === 'verified') return publicDomain(entry);
    await this.assertClaimVerifiable(name, tenant.id);
    return this.setVerified(actor, tenant, entry, 'operator');
  }

  /** The tenant's owner or an operator re-runs provisioning; adapters are idempotent. */
  async reconcile(actor: Actor, slug: string): Promise<{ provisioning: Record<string, ProvisioningState> }> {
    const { tenant, role, operator } = await this.requireAccess(actor, slug);
    if (!operator && role !== 'owner') throw new ForbiddenError("Only the tenant's owner or an operator can reconcile it");
    const after = await this.runProvisioning(tenant);
    return { provisioning: after.provisioning };
  }

  async subscription(actor: Actor, slug: string): Promise<Subscription> {
    const { tenant } = await this.requireAccess(actor, slug);
    const sub = await this.subscriptions.findByTenant(tenant.id);
    if (!sub) throw new NotFoundError('This tenant has no subscription');
    return sub;
  }

  async updateSubscription(actor: Actor, slug: string, dto: UpdateSubscriptionDto): Promise<Subscription> {
    const tenant = await this.requireExisting(slug);
    return this.subscriptions.update(actor, tenant.id, dto);
  }

  /**
   * The tenant if the caller may see it: an operator, or a member. Anyone else gets the same
   * 404 as for a tenant that does not exist, so existence is never revealed.
   */
  async requireAccess(actor: Actor, slug: string): Promise<TenantAccess> {
    const tenant = await this.tenants.findBySlug(slug);
    if (!tenant) throw new NotFoundError(`Tenant ${slug} not found`);
    const operator = isOperator(actor);
    const role = await this.memberships.roleIn(actor.userId, tenant.id);
    if (!operator && !role) throw new NotFoundError(`Tenant ${slug} not found`);
    return { tenant, role, operator };
  }

  private async requireExisting(slug: string): Promise<TenantRecord> {
    const tenant = await this.tenants.findBySlug(slug);
    if (!tenant) throw new NotFoundError(`Tenant ${slug} not found`);
    return tenant;
  }

  /** Pending claims block nobody: only a domain another tenant has verified is taken. */
  private async assertNotVerifiedElsewhere(names: string[], exceptId?: string): Promise<void> {
    const taken = await this.tenants.verifiedElsewhere(names, exceptId);
    if (taken.length) throw new ConflictError(`Domain already verified by another tenant: ${taken.join(', ')}`);
  }

  private async assertClaimVerifiable(name: string, tenantId: string): Promise<void> {
    if ((await this.tenants.verifiedElsewhere([name], tenantId)).length) throw claimLost(name);
  }

  private async requireDomain(tenant: TenantRecord, name: string): Promise<DomainEntry> {
    const entry = (await this.tenants.domainState(tenant.id))?.entries.find((e) => e.name === name);
    if (!entry) throw new NotFoundError(`Tenant ${tenant.slug} has no domain ${name}`);
    return entry;
  }

  /**
   * Marks the claim `claim` verified, if it is still the tenant's (the same token: not removed and
   * added again meanwhile). The unique index on verified domains decides a race between tenants.
   */
  private async setVerified(actor: Actor, tenant: TenantRecord, claim: DomainEntry, method: DomainVerificationMethod): Promise<TenantDomain> {
    const at = new Date();
    let current: DomainEntry | undefined;
    const written = await this.changeDomains(tenant.id, (entries) => {
      current = entries.find((e) => e.name === claim.name);
      if (!current) throw new NotFoundError(`Tenant ${tenant.slug} has no domain ${claim.name}`);
      if (current.status === 'verified') return null;
      if (current.token !== claim.token) throw new ConflictError(`The domain ${claim.name} was added again meanwhile, with a new record to publish: check it again`);
      return entries.map((e) => (e === current ? { ...e, status: 'verified' as const, verifiedAt: at, verifiedBy: method } : e));
    });
    if (!written) return publicDomain(current!);
    const after = await this.runProvisioning(written.tenant);
    await this.recordTenantWrite(actor, method === 'dns' ? 'tenant.domain_verify' : 'tenant.domain_mark_verified', tenant, after);
    return publicDomain(written.entries.find((e) => e.name === claim.name)!);
  }

  /**
   * Applies `change` to the tenant's domains and writes them, conditioned on the list it read;
   * when another write came first, applies it again to the fresh list. Null when `change` had
   * nothing to write.
   */
  private async changeDomains(
    tenantId: string,
    change: DomainsChange,
    write: (state: DomainState) => Promise<TenantRecord | null> = (state) => this.tenants.writeDomains(tenantId, state.rev, state.entries),
  ): Promise<{ before: DomainEntry[]; entries: DomainEntry[]; tenant: TenantRecord } | null> {
    for (let attempt = 0; attempt < DOMAIN_WRITE_ATTEMPTS; attempt++) {
      const state = await this.tenants.domainState(tenantId);
      if (!state) throw new NotFoundError('Tenant not found');
      const entries = change(state.entries);
      if (!entries) return null;
      try {
        const tenant = await write({ rev: state.rev, entries });
        if (tenant) return { before: state.entries, entries, tenant };
      } catch (error) {
        if (error instanceof VerifiedDomainTakenError) {
          const mine = new Set(verifiedNames(state.entries));
          throw claimLost(verifiedNames(entries).filter((n) => !mine.has(n)).join(', '));
        }
        throw error;
      }
    }
    throw new ConflictError("The tenant's domains kept changing while this change was saved: try again");
  }

  /** Every tenant write: the read models follow the tenant, and the audit log keeps before and after. */
  private async recordTenantWrite(actor: Actor, action: string, before: TenantRecord, after: TenantRecord): Promise<void> {
    await this.writes.recordWrite({ actor, action, target: { type: 'tenant', id: after.id }, before, after });
  }

  /** Integrations get the verified domains only: a pending claim proves nothing yet. */
  private async runProvisioning(tenant: TenantRecord): Promise<TenantRecord> {
    const domains = tenant.domains.filter((d) => d.status === 'verified').map((d) => d.name);
    const states = await this.provisioning.run({ id: tenant.id, slug: tenant.slug, name: tenant.name, plan: tenant.plan, domains });
    let latest = tenant;
    for (const [name, state] of Object.entries(states)) {
      latest = (await this.tenants.setProvisioning(tenant.id, name, state)) ?? latest;
    }
    return latest;
  }

  private async detail(tenant: TenantRecord, role: MembershipRole | null): Promise<TenantDetail> {
    const [withPartner] = await this.directory.withPartners([tenant]);
    return { ...withPartner!, subscription: await this.subscriptions.findByTenant(tenant.id), role };
  }
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((n) => b.includes(n));
}

function claimLost(name: string): DomainError {
  return new ConflictError(`Domain ${name} is already verified by another tenant: this claim of it can no longer be verified`);
}

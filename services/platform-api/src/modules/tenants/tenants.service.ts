import { forwardRef, Inject, Injectable } from '@nestjs/common';
import type { MembershipRole, Page, Partner, ProvisioningState, Subscription, Tenant, TenantDetail } from '@dezky/contracts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors/domain-errors';
import { isOperator, type Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { MembershipsService } from '../memberships/memberships.service';
import { PartnersService } from '../partners/partners.service';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { ChangeFeed } from '../changes/change-feed.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import type { CreateTenantDto, ListTenantsQueryDto, UpdateSubscriptionDto, UpdateTenantDto } from './dto/tenant.dto';
import { TenantsRepository, type TenantAttributes, type TenantRecord } from './tenants.repository';

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
    private readonly audit: AuditService,
    private readonly changes: ChangeFeed,
    @Inject(forwardRef(() => PartnersService)) private readonly partners: PartnersService,
  ) {}

  /** Any signed-in user: the caller becomes the owner; a trial subscription starts; provisioning runs. */
  async create(actor: Actor, dto: CreateTenantDto): Promise<TenantDetail> {
    if (await this.tenants.findBySlug(dto.slug)) throw new ConflictError(`A tenant with slug ${dto.slug} already exists`);
    const domains = dto.domains ?? [];
    await this.assertDomainsFree(domains);
    const created = await this.tenants.create({ slug: dto.slug, name: dto.name, plan: dto.plan ?? 'starter', domains });
    await this.memberships.add(actor.userId, created.id, 'owner');
    await this.subscriptions.startTrial(actor, created.id, created.plan);
    const tenant = await this.runProvisioning(created);
    await this.changes.record([{ kind: 'tenant', ref: tenant.id }]);
    await this.audit.record(actor, 'tenant.create', { type: 'tenant', id: tenant.id }, null, tenant);
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
    return { items: await this.withPartners(items), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, slug: string): Promise<TenantDetail> {
    const { tenant, role } = await this.requireAccess(actor, slug);
    return this.detail(tenant, role);
  }

  /** Operator only: name, plan, domains and partner, as one explicit $set/$unset. */
  async update(actor: Actor, slug: string, dto: UpdateTenantDto): Promise<TenantDetail> {
    const before = await this.requireExisting(slug);
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.plan !== undefined) set.plan = dto.plan;
    if (dto.domains !== undefined) {
      await this.assertDomainsFree(dto.domains, before.id);
      if (dto.domains.length) set.domains = dto.domains;
      else unset.push('domains');
    }
    if (dto.partnerId === null) unset.push('partnerId');
    else if (dto.partnerId !== undefined) {
      const partner = await this.partners.requireAttachable(dto.partnerId);
      set.partnerId = partner.id;
    }
    if (!Object.keys(set).length && !unset.length) {
      throw new BadRequestError('Nothing to change: send at least one of name, plan, domains, partnerId');
    }
    const after = (await this.tenants.update(slug, set, unset))!;
    if (dto.plan !== undefined && dto.plan !== before.plan) await this.subscriptions.update(actor, after.id, { plan: dto.plan });
    // Plan and partner are evaluation attributes: every process's snapshot follows the change.
    await this.changes.record([{ kind: 'tenant', ref: after.id }]);
    await this.audit.record(actor, 'tenant.update', { type: 'tenant', id: after.id }, before, after);
    return this.detail(after, await this.memberships.roleIn(actor.userId, after.id));
  }

  /** Idempotent: suspending a suspended tenant changes nothing and records nothing. */
  async setStatus(actor: Actor, slug: string, status: 'active' | 'suspended'): Promise<TenantDetail> {
    const before = await this.requireExisting(slug);
    let after = before;
    if (before.status !== status) {
      after = (await this.tenants.update(slug, { status }, []))!;
      await this.audit.record(actor, status === 'suspended' ? 'tenant.suspend' : 'tenant.resume', { type: 'tenant', id: after.id }, before, after);
    }
    return this.detail(after, await this.memberships.roleIn(actor.userId, after.id));
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

  async listByPartner(partnerId: string, page: { limit: number; offset: number }): Promise<Page<Tenant>> {
    const { items, total } = await this.tenants.list({ partnerId, ...page });
    return { items: await this.withPartners(items), total, ...page };
  }

  partnerStats(partnerIds: string[]): Promise<Map<string, { customers: number; mrr: number }>> {
    return this.tenants.partnerStats(partnerIds);
  }

  /** Every tenant's attributes for flag evaluation (or those of `ids`), partner slugs resolved. */
  async evaluationAttributes(ids?: string[]): Promise<(Omit<TenantAttributes, 'partnerId'> & { partnerSlug: string | null })[]> {
    const all = await this.tenants.allAttributes(ids);
    const partners = await this.partners.findByIds([...new Set(all.map((t) => t.partnerId).filter((id): id is string => id !== null))]);
    const slugOf = new Map(partners.map((p) => [p.id, p.slug]));
    return all.map((t) => ({ id: t.id, slug: t.slug, plan: t.plan, partnerSlug: t.partnerId ? (slugOf.get(t.partnerId) ?? null) : null }));
  }

  /** Slugs among `slugs` that name existing tenants. */
  existingSlugs(slugs: string[]): Promise<string[]> {
    return slugs.length ? this.tenants.findSlugs(slugs) : Promise.resolve([]);
  }

  /** For user-facing summaries (/me): tenants with the user's role and their subscriptions. */
  async forMember(userId: string): Promise<{ tenant: TenantRecord; role: MembershipRole; subscription: Subscription | null }[]> {
    const memberships = await this.memberships.listForUser(userId);
    const tenants = new Map((await this.tenants.findByIds(memberships.map((m) => m.tenantId))).map((t) => [t.id, t]));
    const subs = new Map((await this.subscriptions.findByTenants([...tenants.keys()])).map((s) => [s.tenantId, s]));
    return memberships.flatMap((m) => {
      const tenant = tenants.get(m.tenantId);
      return tenant ? [{ tenant, role: m.role, subscription: subs.get(tenant.id) ?? null }] : [];
    });
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

  private async assertDomainsFree(domains: string[], exceptId?: string): Promise<void> {
    const owners = await this.tenants.findDomainOwners(domains, exceptId);
    const taken = domains.filter((d) => owners.some((o) => o.domains.includes(d)));
    if (taken.length) throw new ConflictError(`Domain already used by another tenant: ${taken.join(', ')}`);
  }

  private async runProvisioning(tenant: TenantRecord): Promise<TenantRecord> {
    const states = await this.provisioning.run({ id: tenant.id, slug: tenant.slug, name: tenant.name, plan: tenant.plan, domains: tenant.domains });
    let latest = tenant;
    for (const [name, state] of Object.entries(states)) {
      latest = (await this.tenants.setProvisioning(tenant.id, name, state)) ?? latest;
    }
    return latest;
  }

  private async detail(tenant: TenantRecord, role: MembershipRole | null): Promise<TenantDetail> {
    const [withPartner] = await this.withPartners([tenant]);
    return { ...withPartner!, subscription: await this.subscriptions.findByTenant(tenant.id), role };
  }

  private async withPartners(tenants: TenantRecord[]): Promise<Tenant[]> {
    const ids = [...new Set(tenants.map((t) => t.partnerId).filter((id): id is string => id !== null))];
    const partners = new Map<string, Partner>((await this.partners.findByIds(ids)).map((p) => [p.id, p]));
    return tenants.map((t) => {
      const p = t.partnerId ? partners.get(t.partnerId) : undefined;
      return { ...t, partner: p ? { id: p.id, slug: p.slug, name: p.name } : null };
    });
  }
}


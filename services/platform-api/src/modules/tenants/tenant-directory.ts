import { Injectable } from '@nestjs/common';
import type { MembershipRole, Page, Partner, Subscription, Tenant } from '@dezky/contracts';
import { MembershipsService } from '../memberships/memberships.service';
import { PartnerDirectory } from '../partner-directory/partner-directory';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { TenantsRepository, type PartnerStats, type TenantAttributes, type TenantRecord } from './tenants.repository';

export type TenantEvaluationAttributes = Omit<TenantAttributes, 'partnerId'> & { partnerSlug: string | null };

/**
 * The tenants as other features read them (partners, flags, /me): never a write, never an
 * access rule. Tenant writes and per-tenant access stay in TenantsService.
 */
@Injectable()
export class TenantDirectory {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly partners: PartnerDirectory,
    private readonly memberships: MembershipsService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Tenants as the API shows them: each with its partner's id, slug and name. */
  async withPartners(tenants: TenantRecord[]): Promise<Tenant[]> {
    const ids = [...new Set(tenants.map((t) => t.partnerId).filter((id): id is string => id !== null))];
    const partners = new Map<string, Partner>((await this.partners.findByIds(ids)).map((p) => [p.id, p]));
    return tenants.map((t) => {
      const p = t.partnerId ? partners.get(t.partnerId) : undefined;
      return { ...t, partner: p ? { id: p.id, slug: p.slug, name: p.name } : null };
    });
  }

  async listByPartner(partnerId: string, page: { limit: number; offset: number }): Promise<Page<Tenant>> {
    const { items, total } = await this.tenants.list({ partnerId, ...page });
    return { items: await this.withPartners(items), total, ...page };
  }

  partnerStats(partnerIds: string[]): Promise<Map<string, PartnerStats>> {
    return this.tenants.partnerStats(partnerIds);
  }

  /** Every tenant's attributes for flag evaluation (or those of `ids`), partner slugs resolved. */
  async evaluationAttributes(ids?: string[]): Promise<TenantEvaluationAttributes[]> {
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
}

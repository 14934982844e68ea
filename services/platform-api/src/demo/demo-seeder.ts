import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { OPERATOR_AUDIENCE, type Actor } from '../modules/auth/actor';
import { FlagsService } from '../modules/flags/flags.service';
import { MembershipsService } from '../modules/memberships/memberships.service';
import { PartnerDirectory } from '../modules/partner-directory/partner-directory';
import { PartnersService } from '../modules/partners/partners.service';
import { TenantDirectory } from '../modules/tenants/tenant-directory';
import { TenantsService } from '../modules/tenants/tenants.service';
import { ActorService } from '../modules/users/actor.service';
import { DEMO_FLAGS, DEMO_OPERATOR, DEMO_PARTNERS, DEMO_TENANTS, type DemoPerson, type DemoTenant } from './demo-data';

/** The client ids of the two applications, which Authentik's issuers end with (/application/o/<client id>/). */
const PORTAL_CLIENT = 'dezky-portal';
const OPERATOR_CLIENT = OPERATOR_AUDIENCE;

export interface DemoIssuers {
  operator: string;
  portal: string;
}

/** The configured issuers of the operator and portal applications, when both are trusted. */
export function demoIssuers(issuers: readonly string[]): DemoIssuers | undefined {
  const of = (client: string) => issuers.find((issuer) => issuer.replace(/\/+$/, '').endsWith(`/${client}`));
  const operator = of(OPERATOR_CLIENT);
  const portal = of(PORTAL_CLIENT);
  return operator && portal ? { operator, portal } : undefined;
}

/** What one run wrote: zero everywhere when the data set was already there. */
export interface DemoSeedResult {
  partners: number;
  tenants: number;
  flags: number;
}

/**
 * Seeds the demo data set (demo-data.ts) at boot, through the services' own write paths, so the
 * audit log, the change log and every read model see it as they see an operator's work. Each
 * partner, tenant and flag is written only when its slug or key is free: a second start adds
 * nothing, and nothing an operator changed is touched. Loaded by AppModule only when
 * SEED_DEMO_DATA=true, which the configuration accepts in development only.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoData');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorService,
    private readonly partners: PartnersService,
    private readonly partnerDirectory: PartnerDirectory,
    private readonly tenants: TenantsService,
    private readonly tenantDirectory: TenantDirectory,
    private readonly memberships: MembershipsService,
    private readonly flags: FlagsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const issuers = demoIssuers(this.config.auth.issuers);
    if (!issuers) {
      this.logger.warn(`SEED_DEMO_DATA=true, but AUTHENTIK_ISSUERS names no ${OPERATOR_CLIENT} and ${PORTAL_CLIENT} issuers (the dev IdP's): no demo data seeded`);
      return;
    }
    const result = await this.seed(issuers);
    this.logger.log(`Demo data: ${result.partners} partners, ${result.tenants} tenants and ${result.flags} flags added`);
  }

  async seed(issuers: DemoIssuers): Promise<DemoSeedResult> {
    const operator = await this.signIn(issuers.operator, OPERATOR_CLIENT, DEMO_OPERATOR);
    const partners = await this.seedPartners(operator);
    const tenants = await this.seedTenants(operator, issuers.portal, partners.ids);
    // Terminated after its tenants were attached: they stay with it, new ones are refused.
    for (const slug of partners.created) {
      if (DEMO_PARTNERS.find((p) => p.slug === slug)!.terminated) await this.partners.terminate(operator, slug);
    }
    const flags = await this.seedFlags(operator);
    return { partners: partners.created.length, tenants, flags };
  }

  /** The user behind a sign-in of `person` at `issuer`, created on first sight as a real sign-in creates it. */
  private signIn(issuer: string, audience: string, person: DemoPerson): Promise<Actor> {
    return this.actors.resolve({ issuer, subject: person.sub, audiences: [audience], email: person.email, emailVerified: true, name: person.name });
  }

  private async seedPartners(operator: Actor): Promise<{ created: string[]; ids: Map<string, string> }> {
    const existing = await this.partnerDirectory.findBySlugs(DEMO_PARTNERS.map((p) => p.slug));
    const ids = new Map(existing.map((p) => [p.slug, p.id]));
    const created: string[] = [];
    for (const p of DEMO_PARTNERS) {
      if (ids.has(p.slug)) continue;
      const partner = await this.partners.create(operator, { slug: p.slug, name: p.name, domain: p.domain, marginPct: p.marginPct, contactInfo: p.contactInfo, billingInfo: p.billingInfo });
      ids.set(p.slug, partner.id);
      created.push(p.slug);
    }
    return { created, ids };
  }

  private async seedTenants(operator: Actor, portalIssuer: string, partnerIds: Map<string, string>): Promise<number> {
    const existing = new Set(await this.tenantDirectory.existingSlugs(DEMO_TENANTS.map((t) => t.slug)));
    let created = 0;
    for (const t of DEMO_TENANTS) {
      if (existing.has(t.slug)) continue;
      await this.seedTenant(operator, portalIssuer, t, partnerIds);
      created++;
    }
    return created;
  }

  private async seedTenant(operator: Actor, portalIssuer: string, t: DemoTenant, partnerIds: Map<string, string>): Promise<void> {
    const owner = await this.signIn(portalIssuer, PORTAL_CLIENT, t.owner);
    const tenant = await this.tenants.create(owner, { slug: t.slug, name: t.name, plan: t.plan });
    for (const person of t.members) {
      const member = await this.signIn(portalIssuer, PORTAL_CLIENT, person);
      await this.memberships.add(member.userId, tenant.id, 'member');
    }
    const partnerId = t.partnerSlug ? partnerIds.get(t.partnerSlug) : undefined;
    if (partnerId) await this.tenants.update(operator, t.slug, { partnerId });
    if (t.subscription.status !== 'trialing') await this.tenants.updateSubscription(operator, t.slug, t.subscription);
    if (t.suspended) await this.tenants.setStatus(operator, t.slug, 'suspended');
  }

  private async seedFlags(operator: Actor): Promise<number> {
    const existing = new Set((await this.flags.list()).items.map((f) => f.key));
    let created = 0;
    for (const f of DEMO_FLAGS) {
      if (existing.has(f.key)) continue;
      await this.flags.create(operator, f.key, f.description);
      for (const change of f.changes) await this.flags.update(operator, f.key, change, undefined);
      created++;
    }
    return created;
  }
}

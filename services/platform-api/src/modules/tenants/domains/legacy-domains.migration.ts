import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { Tenant } from '../tenant.schema';
import { newVerificationToken, pendingEntry, verifiedNames, type DomainEntry } from './domain-entries';
import { normalizeDomainName } from './domain-name';

/** The legacy unique index on the plain list of names. */
const LEGACY_INDEX = 'domains_1';
/** A tenant whose migration meets a concurrent write (another replica booting) is read again this often. */
const ATTEMPTS = 3;

interface LegacyTenant {
  _id: Types.ObjectId;
  slug: string;
  domains: unknown[];
  domainsRev?: number;
  createdAt?: Date;
}

/**
 * Tenants stored before domains were verified hold a plain list of names. At boot, before the API
 * serves, each such list becomes entries: names normalised to ASCII and verified, since operators
 * set them. When two tenants' legacy names normalise to one (a Unicode and a punycode spelling),
 * the older tenant keeps it verified and the newer one gets it pending, to be settled by DNS or
 * an operator. A name that does not normalise at all is dropped, with a warning naming it.
 * Idempotent, and safe while another replica runs it: each tenant is rewritten only if its list is
 * still the one read. Run at boot by StoredTenantsUpgrade.
 */
@Injectable()
export class LegacyDomainsMigration {
  private readonly logger = new Logger(LegacyDomainsMigration.name);

  constructor(@InjectModel(Tenant.name) private readonly tenants: Model<Tenant>) {}

  async run(): Promise<void> {
    // The unique index on verified domains must exist before any is written.
    await this.tenants.init();
    await this.dropLegacyIndex();
    const legacy = await this.tenants.collection
      .find<LegacyTenant>({ domains: { $type: 'string' } }, { projection: { slug: 1, domains: 1, domainsRev: 1, createdAt: 1 } })
      .sort({ _id: 1 })
      .toArray();
    for (const tenant of legacy) await this.migrate(tenant);
    if (legacy.length) this.logger.log(`Domains of ${legacy.length} tenant(s) moved to verified entries`);
  }

  /** It indexed every name, pending claims included, and would refuse two tenants with an empty list. */
  private async dropLegacyIndex(): Promise<void> {
    const indexes = await this.tenants.collection.indexes();
    if (!indexes.some((i) => i.name === LEGACY_INDEX)) return;
    await this.tenants.collection.dropIndex(LEGACY_INDEX).catch((error: unknown) => {
      // Another replica dropped it first.
      if ((error as { codeName?: string }).codeName !== 'IndexNotFound') throw error;
    });
  }

  private async migrate(first: LegacyTenant): Promise<void> {
    let tenant: LegacyTenant | null = first;
    for (let attempt = 0; tenant && attempt < ATTEMPTS; attempt++) {
      if (!tenant.domains.some((d) => typeof d === 'string')) return;
      const entries = await this.entriesOf(tenant);
      const verified = verifiedNames(entries);
      const $set: Record<string, unknown> = { domainsRev: (tenant.domainsRev ?? 0) + 1 };
      const $unset: Record<string, 1> = {};
      if (entries.length) $set.domains = entries;
      else $unset.domains = 1;
      if (verified.length) $set.verifiedDomains = verified;
      else $unset.verifiedDomains = 1;
      try {
        await this.tenants.collection.updateOne({ _id: tenant._id, domains: tenant.domains }, { $set, ...(Object.keys($unset).length ? { $unset } : {}) });
        return;
      } catch (error) {
        // A name became verified elsewhere between the check and the write: work it out again.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      tenant = await this.tenants.collection.findOne<LegacyTenant>({ _id: tenant._id });
    }
  }

  private async entriesOf(tenant: LegacyTenant): Promise<DomainEntry[]> {
    const now = new Date();
    const addedAt = tenant.createdAt ?? tenant._id.getTimestamp();
    const entries: DomainEntry[] = [];
    for (const raw of tenant.domains) {
      if (typeof raw !== 'string') {
        entries.push(raw as DomainEntry);
        continue;
      }
      const result = normalizeDomainName(raw);
      if (!result.ok) {
        this.logger.warn(`Tenant ${tenant.slug}: dropped the domain ${JSON.stringify(raw)}, which ${result.reason}`);
        continue;
      }
      if (entries.some((e) => e.name === result.name)) continue;
      const owner = await this.tenants.collection.findOne({ verifiedDomains: result.name, _id: { $ne: tenant._id } }, { projection: { slug: 1 } });
      if (owner) {
        this.logger.warn(`Tenant ${tenant.slug}: the domain ${result.name} is verified by tenant ${String(owner.slug)}, so it stays pending here`);
        entries.push(pendingEntry(result.name, addedAt));
      } else {
        entries.push({ name: result.name, status: 'verified', token: newVerificationToken(), addedAt, verifiedAt: now, verifiedBy: 'operator' });
      }
    }
    return entries;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { IntegrationAdapter, ProvisioningResult, ProvisioningTarget } from './integration-adapter';

interface AuthentikGroupList {
  results?: { pk: string; name: string }[];
}

/**
 * Creates the tenant's group in Authentik (`dezky-tenant-<slug>`), through its API
 * (/api/v3/core/groups/). Idempotent: an existing group is found by name and kept.
 */
@Injectable()
export class AuthentikAdapter implements IntegrationAdapter {
  readonly name = 'authentik';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async provision(tenant: ProvisioningTarget): Promise<ProvisioningResult> {
    const api = this.config.authentikApi;
    // Customers see this detail too: say what is missing, not which variables hold it.
    if (!api) return { state: 'skipped', detail: 'Authentik provisioning is not configured on this installation' };
    const base = api.url.replace(/\/+$/, '');
    const groupName = `dezky-tenant-${tenant.slug}`;
    const headers = { authorization: `Bearer ${api.token}`, accept: 'application/json', 'content-type': 'application/json' };
    try {
      const found = await fetch(`${base}/api/v3/core/groups/?name=${encodeURIComponent(groupName)}`, { headers, signal: AbortSignal.timeout(5000) });
      if (!found.ok) return { state: 'error', error: `Authentik answered ${found.status} when looking up group ${groupName}` };
      const existing = ((await found.json()) as AuthentikGroupList).results?.find((g) => g.name === groupName);
      if (existing) return { state: 'ok', detail: `group ${groupName} exists (${existing.pk})` };
      const created = await fetch(`${base}/api/v3/core/groups/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: groupName, attributes: { dezkyTenantId: tenant.id, dezkyTenantSlug: tenant.slug, plan: tenant.plan } }),
        signal: AbortSignal.timeout(5000),
      });
      if (!created.ok) return { state: 'error', error: `Authentik answered ${created.status} when creating group ${groupName}` };
      const group = (await created.json()) as { pk?: string };
      return { state: 'ok', detail: `group ${groupName} created (${group.pk ?? 'unknown id'})` };
    } catch (error) {
      return { state: 'error', error: `Authentik could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

import type { ProvisioningStateName } from '@dezky/contracts';

/** What provisioning knows of a tenant; adapters get no more than this. */
export interface ProvisioningTarget {
  id: string;
  slug: string;
  name: string;
  plan: string;
  /** The tenant's verified domains only, in ASCII (punycode) form: a pending claim proves nothing. */
  domains: string[];
}

export interface ProvisioningResult {
  state: Exclude<ProvisioningStateName, 'pending'>;
  error?: string;
  detail?: string;
}

/**
 * One external system a tenant is provisioned in. `provision` must be idempotent (reconcile
 * calls it again) and should report failures as results; a throw is recorded as an error.
 */
export interface IntegrationAdapter {
  readonly name: string;
  provision(tenant: ProvisioningTarget): Promise<ProvisioningResult>;
}

export const INTEGRATION_ADAPTERS = Symbol('INTEGRATION_ADAPTERS');

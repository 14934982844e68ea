import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ProvisioningState } from '@dezky/contracts';
import { INTEGRATION_ADAPTERS, type IntegrationAdapter, type ProvisioningTarget } from './integration-adapter';

/** Runs every integration for a tenant; one adapter's failure never stops another or the request. */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger(ProvisioningService.name);

  constructor(@Inject(INTEGRATION_ADAPTERS) private readonly adapters: IntegrationAdapter[]) {}

  async run(tenant: ProvisioningTarget): Promise<Record<string, ProvisioningState>> {
    const results = await Promise.all(
      this.adapters.map(async (adapter): Promise<[string, ProvisioningState]> => {
        try {
          const r = await adapter.provision(tenant);
          return [adapter.name, { ...r, at: new Date().toISOString() }];
        } catch (error) {
          this.logger.warn(`${adapter.name} provisioning of ${tenant.slug} failed: ${error instanceof Error ? error.message : String(error)}`);
          return [adapter.name, { state: 'error', at: new Date().toISOString(), error: 'The integration failed unexpectedly' }];
        }
      }),
    );
    return Object.fromEntries(results);
  }
}

import { Module } from '@nestjs/common';
import { AuthentikAdapter } from './authentik.adapter';
import { INTEGRATION_ADAPTERS, type IntegrationAdapter } from './integration-adapter';
import { ProvisioningService } from './provisioning.service';

@Module({
  providers: [
    AuthentikAdapter,
    // The integrations a tenant is provisioned in; add an adapter here to add one.
    { provide: INTEGRATION_ADAPTERS, inject: [AuthentikAdapter], useFactory: (authentik: AuthentikAdapter): IntegrationAdapter[] => [authentik] },
    ProvisioningService,
  ],
  exports: [ProvisioningService],
})
export class ProvisioningModule {}

import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { TenantDirectory } from '../tenants/tenant-directory';
import type { MeDto } from './me.dto';

@Injectable()
export class MeService {
  constructor(private readonly tenants: TenantDirectory) {}

  async get(actor: Actor): Promise<MeDto> {
    const rows = await this.tenants.forMember(actor.userId);
    const tenants = rows.map(({ tenant, role, subscription }) => ({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      plan: tenant.plan,
      status: tenant.status,
      role,
      subscription: subscription
        ? { plan: subscription.plan, status: subscription.status, seats: subscription.seats, monthlyPrice: subscription.monthlyPrice, currency: subscription.currency }
        : null,
    }));
    return {
      profile: { id: actor.userId, email: actor.email, name: actor.name, platformAdmin: actor.platformAdmin },
      tenants,
      subscription: tenants[0]?.subscription ?? null,
    };
  }
}

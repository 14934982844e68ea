import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { MeDto, MeTenantDto } from './me.dto';

@Injectable()
export class MeService {
  async get(actor: Actor): Promise<MeDto> {
    const tenants: MeTenantDto[] = [];
    return {
      profile: { id: actor.userId, email: actor.email, name: actor.name, platformAdmin: actor.platformAdmin },
      tenants,
      subscription: tenants[0]?.subscription ?? null,
    };
  }
}

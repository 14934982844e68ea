import { Injectable } from '@nestjs/common';
import type { MembershipRole } from './membership.schema';
import { MembershipsRepository, type MembershipRecord } from './memberships.repository';

@Injectable()
export class MembershipsService {
  constructor(private readonly memberships: MembershipsRepository) {}

  add(userId: string, tenantId: string, role: MembershipRole): Promise<void> {
    return this.memberships.add(userId, tenantId, role);
  }

  /** The user's role in the tenant, or null when they are not a member. */
  async roleIn(userId: string, tenantId: string): Promise<MembershipRole | null> {
    return (await this.memberships.find(userId, tenantId))?.role ?? null;
  }

  listForUser(userId: string): Promise<MembershipRecord[]> {
    return this.memberships.listForUser(userId);
  }

  listForTenant(tenantId: string): Promise<MembershipRecord[]> {
    return this.memberships.listForTenant(tenantId);
  }
}

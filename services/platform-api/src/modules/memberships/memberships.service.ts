import { Injectable } from '@nestjs/common';
import { isDatabaseUnavailable } from '../../common/mongo/database-unavailable';
import type { MembershipRole } from './membership.schema';
import { MembershipsRepository, type MembershipRecord } from './memberships.repository';

@Injectable()
export class MembershipsService {
  /**
   * Last answers per (user, tenant): consulted only while MongoDB is unreachable, so members
   * keep getting evaluations from the flags snapshot during an outage.
   */
  private readonly lastKnown = new Map<string, MembershipRole | null>();

  constructor(private readonly memberships: MembershipsRepository) {}

  add(userId: string, tenantId: string, role: MembershipRole): Promise<void> {
    return this.memberships.add(userId, tenantId, role);
  }

  /** The user's role in the tenant, or null when they are not a member. */
  async roleIn(userId: string, tenantId: string): Promise<MembershipRole | null> {
    const key = `${userId}:${tenantId}`;
    try {
      const role = (await this.memberships.find(userId, tenantId))?.role ?? null;
      if (this.lastKnown.size > 100_000) this.lastKnown.clear();
      this.lastKnown.set(key, role);
      return role;
    } catch (error) {
      if (isDatabaseUnavailable(error) && this.lastKnown.has(key)) return this.lastKnown.get(key)!;
      throw error;
    }
  }

  listForUser(userId: string): Promise<MembershipRecord[]> {
    return this.memberships.listForUser(userId);
  }

  allPairs(): Promise<{ userId: string; tenantId: string }[]> {
    return this.memberships.allPairs();
  }

  listForTenant(tenantId: string): Promise<MembershipRecord[]> {
    return this.memberships.listForTenant(tenantId);
  }
}

import { Injectable } from '@nestjs/common';
import { isDatabaseUnavailable } from '../../common/mongo/database-unavailable';
import { WriteRecorder } from '../writes/write-recorder';
import type { MembershipRole } from './membership.schema';
import { MembershipsRepository, type MembershipRecord } from './memberships.repository';

/** How a membership change names its pair in the change log. */
export const membershipRef = (userId: string, tenantId: string): string => `${userId}:${tenantId}`;

export function parseMembershipRef(ref: string): { userId: string; tenantId: string } | undefined {
  const [userId, tenantId, extra] = ref.split(':');
  return userId && tenantId && extra === undefined ? { userId, tenantId } : undefined;
}

@Injectable()
export class MembershipsService {
  /**
   * Last answers per (user, tenant): consulted only while MongoDB is unreachable, so members
   * keep getting evaluations from the flags snapshot during an outage.
   */
  private readonly lastKnown = new Map<string, MembershipRole | null>();

  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly writes: WriteRecorder,
  ) {}

  /**
   * Evaluation's read model follows memberships: the change is recorded with the write. The audit
   * log keeps the membership with the write that brings it (a tenant's creation makes its owner).
   */
  async add(userId: string, tenantId: string, role: MembershipRole): Promise<void> {
    await this.memberships.add(userId, tenantId, role);
    await this.writes.recordChanges([{ kind: 'membership', ref: membershipRef(userId, tenantId) }]);
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

  /** Which of these pairs are memberships. */
  existingPairs(pairs: { userId: string; tenantId: string }[]): Promise<{ userId: string; tenantId: string }[]> {
    return this.memberships.existingPairs(pairs);
  }
}

import { Injectable } from '@nestjs/common';
import { monthlyPriceCents, type Plan, type Subscription, type SubscriptionStatus } from '@dezky/contracts';
import { NotFoundError } from '../../common/errors/domain-errors';
import type { Actor } from '../auth/actor';
import { WriteRecorder } from '../writes/write-recorder';
import { SubscriptionsRepository } from './subscriptions.repository';

@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly writes: WriteRecorder,
  ) {}

  /** A new tenant starts a trial of its plan with one seat. */
  async startTrial(actor: Actor, tenantId: string, plan: Plan): Promise<Subscription> {
    const sub = await this.subscriptions.createForTenant(tenantId, { plan, seats: 1, monthlyPrice: monthlyPriceCents(plan, 1), status: 'trialing' });
    await this.writes.recordWrite({ actor, action: 'subscription.create', target: { type: 'subscription', id: sub.id }, before: null, after: sub });
    return sub;
  }

  findByTenant(tenantId: string): Promise<Subscription | null> {
    return this.subscriptions.findByTenant(tenantId);
  }

  findByTenants(tenantIds: string[]): Promise<Subscription[]> {
    return tenantIds.length ? this.subscriptions.findByTenants(tenantIds) : Promise.resolve([]);
  }

  /** Changes status, seats or plan; the price always follows plan and seats. */
  async update(actor: Actor, tenantId: string, change: { plan?: Plan; status?: SubscriptionStatus; seats?: number }): Promise<Subscription> {
    const before = await this.subscriptions.findByTenant(tenantId);
    if (!before) throw new NotFoundError('This tenant has no subscription');
    const plan = change.plan ?? before.plan;
    const seats = change.seats ?? before.seats;
    const status = change.status ?? before.status;
    const monthlyPrice = monthlyPriceCents(plan, seats);
    if (plan === before.plan && seats === before.seats && status === before.status && monthlyPrice === before.monthlyPrice) return before;
    const after = (await this.subscriptions.update(tenantId, { plan, seats, status, monthlyPrice }))!;
    await this.writes.recordWrite({ actor, action: 'subscription.update', target: { type: 'subscription', id: after.id }, before, after });
    return after;
  }
}

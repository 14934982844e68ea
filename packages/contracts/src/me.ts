import type { Plan } from './plans.js';
import type { MembershipRole, SubscriptionStatus, TenantStatus } from './tenancy.js';

/** The signed-in person, as `GET /me` describes them. */
export interface MeProfile {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
}

export interface MeSubscription {
  plan: Plan;
  status: SubscriptionStatus;
  seats: number;
  /** Integer cents per month. */
  monthlyPrice: number;
  currency: string;
}

export interface MeTenant {
  id: string;
  slug: string;
  name: string;
  plan: Plan;
  status: TenantStatus;
  role: MembershipRole;
  subscription: MeSubscription | null;
}

/** GET /me */
export interface MeResponse {
  profile: MeProfile;
  /** Tenants the user belongs to, oldest membership first, each with its own subscription. */
  tenants: MeTenant[];
  /** The subscription of the first tenant in `tenants` (null without tenants). */
  subscription: MeSubscription | null;
}

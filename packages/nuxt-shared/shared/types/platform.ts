// Responses of the platform API (services/platform-api) that the apps' server routes relay.

export interface MeProfile {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
}

export interface MeSubscription {
  plan: string;
  status: 'trialing' | 'active' | 'canceled';
  seats: number;
  /** Integer cents per month. */
  monthlyPrice: number;
  currency: string;
}

export interface MeTenant {
  id: string;
  slug: string;
  name: string;
  plan: string;
  status: 'active' | 'suspended';
  role: 'owner' | 'member';
  subscription: MeSubscription | null;
}

/** GET /me */
export interface MeResponse {
  profile: MeProfile;
  tenants: MeTenant[];
  subscription: MeSubscription | null;
}

import type { Partner, Plan, SubscriptionStatus, TenantDetail } from '@dezky/contracts';
import type { Actor } from '../../../src/modules/auth/actor';
import { OPERATOR_AUDIENCE } from '../../../src/modules/auth/actor';
import { FlagsService, type DraftInput } from '../../../src/modules/flags/flags.service';
import { PartnersService } from '../../../src/modules/partners/partners.service';
import { TenantsService } from '../../../src/modules/tenants/tenants.service';
import { ActorService } from '../../../src/modules/users/actor.service';
import { UsersService } from '../../../src/modules/users/users.service';
import { ROOT_ADMIN, type Services } from './services';

/**
 * Data written the way the API writes it: users through ActorService (as a verified token
 * creates them), everything else through the features' services, with their audit and change
 * entries. Names are unique per call, so factories never collide within a database.
 */
let serial = 0;
const next = () => `${process.pid}-${++serial}`;
const ISSUER = 'https://idp.test/application/o/dezky/';

export interface UserOptions {
  email?: string;
  name?: string;
  /** Signed in with an operator-scoped token (default: portal only). */
  operator?: boolean;
  /** Made a platform administrator by the root administrator. */
  platformAdmin?: boolean;
}

/** A signed-in user, as the actor of its requests. */
export async function makeUser(s: Services, options: UserOptions = {}): Promise<Actor> {
  const n = next();
  const email = options.email ?? `user-${n}@customer.test`;
  const audiences = options.operator || options.platformAdmin ? ['dezky-portal', OPERATOR_AUDIENCE] : ['dezky-portal'];
  const sign = () => s.get(ActorService).resolve({ issuer: ISSUER, subject: `sub-${email}`, audiences, email, emailVerified: true, name: options.name ?? `User ${n}` });
  const actor = await sign();
  if (!options.platformAdmin || actor.platformAdmin) return actor;
  await s.get(UsersService).setPlatformAdmin(await makeRoot(s), actor.userId, true);
  return sign();
}

/** The administrator PLATFORM_ADMIN_EMAILS names, with an operator-scoped token. */
export function makeRoot(s: Services): Promise<Actor> {
  return makeUser(s, { email: ROOT_ADMIN, operator: true });
}

export interface TenantOptions {
  slug?: string;
  plan?: Plan;
  /** The owner (default: a new customer). */
  owner?: Actor;
  partner?: Pick<Partner, 'id'>;
  /** The subscription's status once created (a tenant starts trialing). */
  status?: SubscriptionStatus;
  seats?: number;
}

/** A tenant created by its owner, then attached and billed by an operator as asked. */
export async function makeTenant(s: Services, options: TenantOptions = {}): Promise<TenantDetail> {
  const tenants = s.get(TenantsService);
  const owner = options.owner ?? (await makeUser(s));
  const slug = options.slug ?? `tenant-${next()}`;
  let tenant = await tenants.create(owner, { slug, name: `Tenant ${slug}`, plan: options.plan });
  const root = await makeRoot(s);
  if (options.partner) tenant = await tenants.update(root, slug, { partnerId: options.partner.id });
  if (options.status !== undefined || options.seats !== undefined) {
    const subscription = await tenants.updateSubscription(root, slug, { status: options.status, seats: options.seats });
    tenant = { ...tenant, subscription };
  }
  return tenant;
}

export async function makePartner(s: Services, options: { slug?: string; marginPct?: number } = {}): Promise<Partner> {
  const slug = options.slug ?? `partner-${next()}`;
  return s.get(PartnersService).create(await makeRoot(s), { slug, name: `Partner ${slug}`, domain: `${slug}.example`, marginPct: options.marginPct ?? 20 });
}

/** A flag created by an operator, then given the draft. */
export async function makeFlag(s: Services, draft: DraftInput = {}, key = `flag_${next().replace(/-/g, '_')}`) {
  const flags = s.get(FlagsService);
  const root = await makeRoot(s);
  await flags.create(root, key, draft.description ?? `Flag ${key}`);
  return Object.keys(draft).length ? flags.update(root, key, draft, undefined) : flags.get(key);
}

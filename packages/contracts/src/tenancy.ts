import type { Plan } from './plans.js';

/** Lowercase letters, digits and single hyphens; 3-40 characters. Shared by tenants and partners. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length >= SLUG_MIN && value.length <= SLUG_MAX && SLUG_PATTERN.test(value);
}

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const PROVISIONING_STATES = ['ok', 'error', 'pending', 'skipped'] as const;
export type ProvisioningStateName = (typeof PROVISIONING_STATES)[number];

export interface ProvisioningState {
  state: ProvisioningStateName;
  at: string;
  error?: string;
  detail?: string;
}

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface Subscription {
  id: string;
  tenantId: string;
  plan: Plan;
  status: SubscriptionStatus;
  seats: number;
  /** Integer cents per month. */
  monthlyPrice: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

export const DOMAIN_STATUSES = ['pending', 'verified'] as const;
/** `pending` until the domain's DNS proves control of it (or an operator vouches for it). */
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

export const DOMAIN_VERIFICATION_METHODS = ['dns', 'operator'] as const;
export type DomainVerificationMethod = (typeof DOMAIN_VERIFICATION_METHODS)[number];

/** A verification TXT record's value is this prefix followed by the claim's token. */
export const DOMAIN_VERIFICATION_PREFIX = 'dezky-verification=';

/** How many domains one tenant may hold, pending and verified together. */
export const MAX_TENANT_DOMAINS = 50;

/** Labels of anything but spaces and URL punctuation, a dot, and a last label of two or more. */
const DOMAIN_INPUT_SHAPE = /^[^\s/\\?#@:%[\]]+\.[^\s/\\?#@:%[\].]{2,}\.?$/u;

/**
 * Whether a typed domain name, international ones in Unicode or punycode, has a domain's shape:
 * for forms to point out a slip early. The API normalises it to lower-case ASCII (UTS-46) and
 * is the judge: it names what it refuses.
 */
export function isDomainNameInput(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length <= 253 && DOMAIN_INPUT_SHAPE.test(value.trim());
}

/** The DNS record that proves control of a domain, exactly as it must be published. */
export interface DomainVerificationRecord {
  type: 'TXT';
  /** The record's owner name: the domain itself, in its ASCII form. */
  name: string;
  /** `dezky-verification=<token>` */
  value: string;
}

export interface TenantDomain {
  /** The lower-case ASCII (punycode, UTS-46) form: the domain's identity, compared and stored. */
  name: string;
  /** The Unicode form for display; the same as `name` for a plain ASCII domain. */
  displayName: string;
  status: DomainStatus;
  /** The record to publish while the domain is pending; null once it is verified. */
  verification: DomainVerificationRecord | null;
  addedAt: string;
  verifiedAt: string | null;
  verifiedBy: DomainVerificationMethod | null;
}

export interface PartnerRef {
  id: string;
  slug: string;
  name: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  plan: Plan;
  /** Only verified domains are unique across tenants; a pending claim blocks nobody. */
  domains: TenantDomain[];
  status: TenantStatus;
  partnerId: string | null;
  /** The attached partner, resolved for display (null when none). */
  partner: PartnerRef | null;
  provisioning: Record<string, ProvisioningState>;
  createdAt: string;
  updatedAt: string;
}

export interface TenantDetail extends Tenant {
  subscription: Subscription | null;
  /** The caller's role in this tenant; null for an operator who is not a member. */
  role: MembershipRole | null;
}

export const MEMBERSHIP_ROLES = ['owner', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const PARTNER_STATUSES = ['active', 'terminated'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

export interface ContactInfo {
  name?: string;
  email?: string;
  phone?: string;
}

export interface BillingInfo {
  company?: string;
  vatId?: string;
  address?: string;
  email?: string;
}

export interface Partner {
  id: string;
  slug: string;
  name: string;
  /** Lower-case ASCII (punycode) form. */
  domain: string;
  status: PartnerStatus;
  /** The partner's margin on its customers' revenue, 0-100. */
  marginPct: number;
  contactInfo: ContactInfo;
  billingInfo: BillingInfo;
  terminatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PartnerWithStats extends Partner {
  /** Tenants attached to the partner. */
  customers: number;
  /** Sum of the monthly price of the active subscriptions of its tenants, in cents. */
  mrr: number;
  /** mrr x marginPct / 100, rounded to whole cents. */
  margin: number;
  /** Customers whose subscription is still trialing: not in mrr until it is active. */
  trialing: number;
  /** What those trialing subscriptions will bill per month once active, in cents. */
  trialingMrr: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId: string; email: string };
  action: string;
  resource: { type: AuditResourceType; id: string };
  before: unknown;
  after: unknown;
}

export const AUDIT_RESOURCE_TYPES = ['tenant', 'subscription', 'partner', 'user', 'flag', 'webhook'] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

/** Who made an audited change, as the operator app shows them: the person's name when known. */
export interface AuditActorView {
  userId: string;
  email: string;
  /** The person's display name; null when the platform does not know it (any more). */
  name: string | null;
}

export interface AuditEntryView extends Omit<AuditEntry, 'actor'> {
  actor: AuditActorView;
}

/** The operator app's `GET /api/audit`: a page of entries, and the partner it is filtered by. */
export interface AuditLogPage extends Page<AuditEntryView> {
  /** Set when the log is filtered by a partner: its events and its tenants' attach and detach. */
  partner: PartnerRef | null;
}

/** The operator app's `GET /api/people?email=…`: each asked email's display name, null when unknown. */
export type PeopleByEmail = Record<string, string | null>;

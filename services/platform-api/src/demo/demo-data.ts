import type { Plan, SubscriptionStatus } from '@dezky/contracts';
import type { DraftInput } from '../modules/flags/flags.service';

/**
 * The demo data set a development installation starts with (SEED_DEMO_DATA=true): partners,
 * tenants across plans, partners and subscription states, the dev IdP's customers as members,
 * and flags in every state with a history. Deterministic: the same set on every machine.
 */

/** A person as the dev IdP (services/dev-idp, DEFAULT_USERS) signs them in: users are keyed by issuer and subject. */
export interface DemoPerson {
  sub: string;
  email: string;
  name: string;
}

export const DEMO_OPERATOR: DemoPerson = { sub: 'user-admin', email: 'admin@dezky.test', name: 'Olivia Operator' };
export const DEMO_ALICE: DemoPerson = { sub: 'user-alice', email: 'alice@customer.test', name: 'Alice Customer' };
export const DEMO_BOB: DemoPerson = { sub: 'user-bob', email: 'bob@customer.test', name: 'Bob Customer' };

export interface DemoPartner {
  slug: string;
  name: string;
  domain: string;
  marginPct: number;
  contactInfo: { name: string; email: string; phone: string };
  billingInfo: { company: string; vatId: string; address: string; email: string };
  /** Terminated once its tenants are attached: they stay, new attachments are refused. */
  terminated: boolean;
}

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  {
    slug: 'nordcloud-it',
    name: 'NordCloud IT GmbH',
    domain: 'nordcloud-it.example',
    marginPct: 20,
    contactInfo: { name: 'Jana Petersen', email: 'jana.petersen@nordcloud-it.example', phone: '+49 40 5550 1200' },
    billingInfo: { company: 'NordCloud IT GmbH', vatId: 'DE284619375', address: 'Am Sandtorkai 12, 20457 Hamburg', email: 'billing@nordcloud-it.example' },
    terminated: false,
  },
  {
    slug: 'alpen-systemhaus',
    name: 'Alpen Systemhaus AG',
    domain: 'alpen-systemhaus.example',
    marginPct: 15,
    contactInfo: { name: 'Lukas Huber', email: 'lukas.huber@alpen-systemhaus.example', phone: '+49 89 5550 3310' },
    billingInfo: { company: 'Alpen Systemhaus AG', vatId: 'DE197364028', address: 'Leopoldstraße 88, 80802 München', email: 'rechnung@alpen-systemhaus.example' },
    terminated: false,
  },
  {
    slug: 'rheinland-digital',
    name: 'Rheinland Digital GmbH',
    domain: 'rheinland-digital.example',
    marginPct: 12,
    contactInfo: { name: 'Aylin Demir', email: 'aylin.demir@rheinland-digital.example', phone: '+49 221 5550 870' },
    billingInfo: { company: 'Rheinland Digital GmbH', vatId: 'DE305118642', address: 'Mediapark 5, 50670 Köln', email: 'billing@rheinland-digital.example' },
    terminated: false,
  },
  {
    slug: 'baltic-managed',
    name: 'Baltic Managed Services AB',
    domain: 'baltic-managed.example',
    marginPct: 18,
    contactInfo: { name: 'Erik Lindqvist', email: 'erik.lindqvist@baltic-managed.example', phone: '+46 8 5550 4417' },
    billingInfo: { company: 'Baltic Managed Services AB', vatId: 'SE556677889901', address: 'Sveavägen 44, 111 34 Stockholm', email: 'invoices@baltic-managed.example' },
    terminated: false,
  },
  {
    slug: 'westend-netz',
    name: 'Westend Netzwerke KG',
    domain: 'westend-netz.example',
    marginPct: 10,
    contactInfo: { name: 'Sabine Krüger', email: 'sabine.krueger@westend-netz.example', phone: '+49 69 5550 2290' },
    billingInfo: { company: 'Westend Netzwerke KG', vatId: 'DE263951804', address: 'Bockenheimer Landstraße 17, 60325 Frankfurt am Main', email: 'buchhaltung@westend-netz.example' },
    terminated: true,
  },
];

export type DemoSubscription = { status: 'trialing' } | { status: Exclude<SubscriptionStatus, 'trialing'>; seats: number };

export interface DemoTenant {
  slug: string;
  name: string;
  plan: Plan;
  partnerSlug: string | null;
  subscription: DemoSubscription;
  suspended: boolean;
  /** Creates the tenant, so becomes its owner. */
  owner: DemoPerson;
  members: DemoPerson[];
}

/** The dev IdP's customers: Alice and Bob own these and are members of each other's. */
const CUSTOMER_TENANTS: DemoTenant[] = [
  { slug: 'customer-gmbh', name: 'Customer GmbH', plan: 'business', partnerSlug: 'nordcloud-it', subscription: { status: 'active', seats: 25 }, suspended: false, owner: DEMO_ALICE, members: [DEMO_BOB] },
  { slug: 'customer-labs', name: 'Customer Labs', plan: 'starter', partnerSlug: null, subscription: { status: 'trialing' }, suspended: false, owner: DEMO_ALICE, members: [] },
  { slug: 'bobs-bike-shop', name: "Bob's Bike Shop", plan: 'starter', partnerSlug: 'alpen-systemhaus', subscription: { status: 'active', seats: 3 }, suspended: false, owner: DEMO_BOB, members: [DEMO_ALICE] },
];

const PLACES = ['Alpen', 'Nordlicht', 'Rhein', 'Elbe', 'Donau', 'Berg', 'Seeblick', 'Tannen', 'Falken', 'Linden', 'Hafen', 'Sonnen', 'Eichen', 'Silber', 'Kristall', 'Wald', 'Feld', 'Stern', 'Adler', 'Kiefer'];
const TRADES: readonly [string, string][] = [
  ['Bau', 'GmbH'],
  ['Logistik', 'GmbH'],
  ['Kanzlei', 'PartG'],
  ['Zahnarztpraxis', ''],
  ['Software', 'GmbH'],
  ['Handel', 'KG'],
  ['Architekten', 'PartG'],
  ['Energie', 'AG'],
  ['Medien', 'GmbH'],
  ['Immobilien', 'GmbH'],
];
const FIRST_NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas', 'Katrin', 'Leon', 'Mia', 'Noah', 'Olga', 'Paul'];
const LAST_NAMES = ['Becker', 'Schmidt', 'Yilmaz', 'Wagner', 'Nowak', 'Hoffmann', 'Schulz', 'Keller', 'Richter', 'Wolf', 'Neumann', 'Braun', 'Zimmermann', 'Krause', 'Lange', 'Vogel'];

/** About 200 tenants: the customers' three and one per place and trade, owned by their own people. */
export const DEMO_TENANT_COUNT = 200;

function generatedTenant(i: number): DemoTenant {
  const place = PLACES[i % PLACES.length]!;
  const [trade, form] = TRADES[Math.floor(i / PLACES.length) % TRADES.length]!;
  const slug = `${place}-${trade}`.toLowerCase();
  const plan: Plan = i % 10 < 5 ? 'starter' : i % 10 < 8 ? 'business' : 'enterprise';
  const partnerSlug = i % 10 < 6 ? DEMO_PARTNERS[(i * 3) % DEMO_PARTNERS.length]!.slug : null;
  const canceled = i % 17 === 3;
  const seats = plan === 'starter' ? 1 + (i % 9) : plan === 'business' ? 5 + ((i * 7) % 45) : 50 + ((i * 13) % 400);
  const subscription: DemoSubscription = canceled ? { status: 'canceled', seats } : i % 6 === 0 ? { status: 'trialing' } : { status: 'active', seats };
  const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
  const owner = { sub: `owner-${slug}`, email: `${first}.${last}@${slug}.example`.toLowerCase(), name: `${first} ${last}` };
  // Canceled subscriptions are suspended, and so are a few unpaid active ones.
  return { slug, name: `${place} ${trade} ${form}`.trim(), plan, partnerSlug, subscription, suspended: canceled || i % 29 === 11, owner, members: [] };
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  ...CUSTOMER_TENANTS,
  ...Array.from({ length: DEMO_TENANT_COUNT - CUSTOMER_TENANTS.length }, (_, i) => generatedTenant(i)),
];

export interface DemoFlag {
  key: string;
  description: string;
  /** Applied in order after creation: each is one entry of the flag's history. */
  changes: DraftInput[];
}

/** Flags in every state, each reached through a few changes (the installation's own seeds stay off). */
export const DEMO_FLAGS: readonly DemoFlag[] = [
  {
    key: 'mobile_push_v2',
    description: 'Push notifications through the new mobile gateway',
    changes: [{ state: 'rollout', pct: 10 }, { pct: 50 }, { state: 'on' }],
  },
  {
    key: 'webmail_new_composer',
    description: 'The rewritten message composer in webmail',
    changes: [{ state: 'rollout', pct: 30 }, { state: 'on' }],
  },
  {
    key: 'spam_filter_ml',
    description: 'Machine-learning spam filter in front of the mail gateway',
    changes: [{ state: 'targeted', scope: { plans: ['enterprise'] } }, { state: 'rollout', pct: 25, scope: { plans: ['business', 'enterprise'] } }],
  },
  {
    key: 'ai_mail_summaries',
    description: 'Summaries of long mail threads',
    changes: [{ state: 'rollout', pct: 5, scope: { environments: ['development', 'staging'] } }, { pct: 20 }],
  },
  {
    key: 'migration_assistant',
    description: 'Guided mailbox migration from Microsoft 365 and Google Workspace',
    changes: [
      { state: 'targeted', scope: { partnerSlugs: ['nordcloud-it', 'alpen-systemhaus'] } },
      { scope: { partnerSlugs: ['nordcloud-it', 'alpen-systemhaus', 'rheinland-digital'] } },
    ],
  },
  {
    key: 'contacts_carddav_sync',
    description: 'CardDAV sync of shared address books',
    changes: [{ state: 'targeted', scope: { tenantSlugs: ['customer-gmbh', 'bobs-bike-shop'] } }],
  },
  {
    key: 'legacy_imap_bridge',
    description: 'IMAP bridge for webmail, kept for tenants not yet on JMAP',
    changes: [{ state: 'on' }, { state: 'targeted', scope: { tenantSlugs: ['customer-labs', 'alpen-bau'] } }, { state: 'off' }],
  },
  {
    key: 'calendar_polls',
    description: 'Meeting polls in the calendar',
    changes: [{ state: 'targeted', scope: { plans: ['business'] } }, { state: 'off', description: 'Meeting polls in the calendar (paused after feedback)' }],
  },
];

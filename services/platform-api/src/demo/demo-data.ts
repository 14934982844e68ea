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

/**
 * A partner of the demo set: its domain is `<slug>.example`, where its contact's and its billing
 * mailboxes are too, and it bills under its own name.
 */
function demoPartner(
  slug: string,
  name: string,
  marginPct: number,
  [contact, contactMailbox, phone]: [name: string, mailbox: string, phone: string],
  [vatId, address, billingMailbox]: [vatId: string, address: string, mailbox: string],
  terminated = false,
): DemoPartner {
  const domain = `${slug}.example`;
  return {
    slug,
    name,
    domain,
    marginPct,
    contactInfo: { name: contact, email: `${contactMailbox}@${domain}`, phone },
    billingInfo: { company: name, vatId, address, email: `${billingMailbox}@${domain}` },
    terminated,
  };
}

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  demoPartner('nordcloud-it', 'NordCloud IT GmbH', 20, ['Jana Petersen', 'jana.petersen', '+49 40 5550 1200'], ['DE284619375', 'Am Sandtorkai 12, 20457 Hamburg', 'billing']),
  demoPartner('alpen-systemhaus', 'Alpen Systemhaus AG', 15, ['Lukas Huber', 'lukas.huber', '+49 89 5550 3310'], ['DE197364028', 'Leopoldstraße 88, 80802 München', 'rechnung']),
  demoPartner('rheinland-digital', 'Rheinland Digital GmbH', 12, ['Aylin Demir', 'aylin.demir', '+49 221 5550 870'], ['DE305118642', 'Mediapark 5, 50670 Köln', 'billing']),
  demoPartner('baltic-managed', 'Baltic Managed Services AB', 18, ['Erik Lindqvist', 'erik.lindqvist', '+46 8 5550 4417'], ['SE556677889901', 'Sveavägen 44, 111 34 Stockholm', 'invoices']),
  // Terminated once its tenants are attached.
  demoPartner('westend-netz', 'Westend Netzwerke KG', 10, ['Sabine Krüger', 'sabine.krueger', '+49 69 5550 2290'], ['DE263951804', 'Bockenheimer Landstraße 17, 60325 Frankfurt am Main', 'buchhaltung'], true),
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

/** A flag of the demo set, created and then changed by each of `changes` in turn. */
const demoFlag = (key: string, description: string, ...changes: DraftInput[]): DemoFlag => ({ key, description, changes });

/** Flags in every state, each reached through a few changes (the installation's own seeds stay off). */
export const DEMO_FLAGS: readonly DemoFlag[] = [
  demoFlag('mobile_push_v2', 'Push notifications through the new mobile gateway', { state: 'rollout', pct: 10 }, { pct: 50 }, { state: 'on' }),
  demoFlag('webmail_new_composer', 'The rewritten message composer in webmail', { state: 'rollout', pct: 30 }, { state: 'on' }),
  demoFlag(
    'spam_filter_ml',
    'Machine-learning spam filter in front of the mail gateway',
    { state: 'targeted', scope: { plans: ['enterprise'] } },
    { state: 'rollout', pct: 25, scope: { plans: ['business', 'enterprise'] } },
  ),
  demoFlag('ai_mail_summaries', 'Summaries of long mail threads', { state: 'rollout', pct: 5, scope: { environments: ['development', 'staging'] } }, { pct: 20 }),
  demoFlag(
    'migration_assistant',
    'Guided mailbox migration from Microsoft 365 and Google Workspace',
    { state: 'targeted', scope: { partnerSlugs: ['nordcloud-it', 'alpen-systemhaus'] } },
    { scope: { partnerSlugs: ['nordcloud-it', 'alpen-systemhaus', 'rheinland-digital'] } },
  ),
  demoFlag('contacts_carddav_sync', 'CardDAV sync of shared address books', { state: 'targeted', scope: { tenantSlugs: ['customer-gmbh', 'bobs-bike-shop'] } }),
  demoFlag(
    'legacy_imap_bridge',
    'IMAP bridge for webmail, kept for tenants not yet on JMAP',
    { state: 'on' },
    { state: 'targeted', scope: { tenantSlugs: ['customer-labs', 'alpen-bau'] } },
    { state: 'off' },
  ),
  demoFlag(
    'calendar_polls',
    'Meeting polls in the calendar',
    { state: 'targeted', scope: { plans: ['business'] } },
    { state: 'off', description: 'Meeting polls in the calendar (paused after feedback)' },
  ),
];

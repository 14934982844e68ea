/**
 * Limits and patterns of the fields clients send, with the messages that name them: the API's
 * DTOs (class-validator), the operator app's server routes (zod) and its forms read them from here.
 */

/** A person's, company's or partner's name. */
export const NAME_MAX = 200;
/** RFC 5321's limit on an address. */
export const EMAIL_MAX = 254;
/** A postal address, as one text. */
export const ADDRESS_MAX = 500;
/** A flag's description. */
export const DESCRIPTION_MAX = 500;

/** A phone number as people write one: digits, spaces, ( ) . / -, an optional leading +. */
export const PHONE_PATTERN = /^\+?[0-9 ()./-]{4,30}$/;
export const PHONE_MAX = 30;
export const PHONE_MESSAGE = 'must be a phone number';

/** An EU VAT id: the country's two letters, then 2-13 digits, letters or + * . (upper case). */
export const VAT_ID_PATTERN = /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/;
export const VAT_ID_MAX = 15;
export const VAT_ID_MESSAGE = 'must be an EU VAT id such as DE123456789';

export const FLAG_KEY_MESSAGE = 'key must start with a lowercase letter and hold 3-64 lowercase letters, digits or underscores';
export const SLUG_MESSAGE = 'must be lowercase letters, digits and single hyphens (3-40 characters)';

/** Percentages (a rollout's, a partner's margin) are whole numbers from 0 to 100. */
export const PCT_MIN = 0;
export const PCT_MAX = 100;
export const PCT_MESSAGE = 'pct must be an integer from 0 to 100';

/** How many values each scope axis of a flag may hold. */
export const SCOPE_LIMITS = { plans: 100, tenantSlugs: 5000, partnerSlugs: 1000, environments: 10 } as const;
/** The longest value of a scope axis. */
export const SCOPE_VALUE_MAX = 64;

/** A slug's message with the field it names, as a form shows it. */
export const SLUG_FIELD_MESSAGE = `slug ${SLUG_MESSAGE}`;
export const NAME_EMPTY_MESSAGE = 'must not be empty';
export const EMAIL_MESSAGE = 'must be an email address';
export const DOMAIN_MESSAGE = 'must be a domain name such as example.com';

/** The longest text a list's search box sends. */
export const SEARCH_MAX = 100;

/** An audit action: the resource type, a dot, the verb (`tenant.update`, `user.grant_admin`). */
export const AUDIT_ACTION_PATTERN = /^[a-z]+\.[a-z_]+$/;
export const AUDIT_ACTION_MESSAGE = 'must be an action such as tenant.update';
/** An audit entry's resource id: an ObjectId in hex, or a flag's key. */
export const AUDIT_RESOURCE_ID_MAX = 64;

/** The ids the API hands out: MongoDB ObjectIds in hex. */
export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;
export const OBJECT_ID_MESSAGE = 'must be an id of 24 hexadecimal characters';

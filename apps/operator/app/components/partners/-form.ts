// The partner form's rules, mirroring the platform API's CreatePartnerDto / UpdatePartnerDto so
// mistakes are shown on the field before anything is sent (the `-` prefix keeps Nuxt from
// registering this file as a component).
import { isDomainNameInput, isSlug, SLUG_MAX, type BillingInfo, type ContactInfo } from '@dezky/contracts';
import { z } from 'zod';

const PHONE = /^\+?[0-9 ()./-]{4,30}$/;
const VAT_ID = /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/;

const isEmail = (value: string) => z.email().safeParse(value).success;
/** Optional text: empty is fine, anything else must pass `test`. */
const optionalText = (max: number, test?: (v: string) => boolean, message = 'Not valid') =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .refine((v) => !v.trim() || !test || test(v.trim()), message);

export const contactSchema = z.object({
  name: optionalText(200),
  email: optionalText(254, isEmail, 'Enter an email address such as ops@example.com'),
  phone: optionalText(30, (v) => PHONE.test(v), 'Enter a phone number such as +46 8 123 456'),
});

export const billingSchema = z.object({
  company: optionalText(200),
  vatId: optionalText(15, (v) => VAT_ID.test(v.toUpperCase()), 'Enter an EU VAT id such as DE123456789'),
  address: optionalText(500),
  email: optionalText(254, isEmail, 'Enter an email address such as billing@example.com'),
});

export const contractSchema = z.object({
  name: z.string().trim().min(1, "Enter the partner's name").max(200, 'At most 200 characters'),
  domain: z
    .string()
    .trim()
    // International names may be typed as written: the API stores them in punycode.
    .refine(isDomainNameInput, 'Enter a domain such as nordic-it.se'),
  marginPct: z
    .number({ error: 'Enter a margin from 0 to 100' })
    .int('Enter a whole percentage')
    .min(0, 'The margin is at least 0%')
    .max(100, 'The margin is at most 100%'),
});

export const createPartnerSchema = contractSchema.extend({
  slug: z.string().refine(isSlug, `3-${SLUG_MAX} lowercase letters, digits and single hyphens, e.g. nordic-it`),
  contactInfo: contactSchema,
  billingInfo: billingSchema,
});

export type ContactForm = z.infer<typeof contactSchema>;
export type BillingForm = z.infer<typeof billingSchema>;
export type CreatePartnerForm = z.infer<typeof createPartnerSchema>;

export function contactForm(info: ContactInfo = {}): ContactForm {
  return { name: info.name ?? '', email: info.email ?? '', phone: info.phone ?? '' };
}

export function billingForm(info: BillingInfo = {}): BillingForm {
  return { company: info.company ?? '', vatId: info.vatId ?? '', address: info.address ?? '', email: info.email ?? '' };
}

/** Form text → the API's shape: trimmed, empty fields left out, the VAT id upper-case. */
export function contactBody(form: ContactForm): ContactInfo {
  return compactText({ name: form.name, email: form.email, phone: form.phone });
}

export function billingBody(form: BillingForm): BillingInfo {
  return compactText({ company: form.company, vatId: form.vatId.toUpperCase(), address: form.address, email: form.email });
}

function compactText<T extends Record<string, string>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v)) as Partial<T>;
}

/** "Nordic IT AB" → "nordic-it-ab": a slug suggestion from a name. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}

// The partner form's rules: the limits and patterns of @dezky/contracts that the platform API's
// CreatePartnerDto / UpdatePartnerDto check, so mistakes are shown on the field before anything
// is sent, in the form's words.
import {
  ADDRESS_MAX,
  EMAIL_MAX,
  isDomainNameInput,
  isSlug,
  NAME_MAX,
  PCT_MAX,
  PCT_MIN,
  PHONE_MAX,
  PHONE_PATTERN,
  SLUG_MAX,
  SLUG_MIN,
  VAT_ID_MAX,
  VAT_ID_PATTERN,
  type BillingInfo,
  type ContactInfo,
} from '@dezky/contracts';
import { z } from 'zod';

/** Optional text: empty is fine, anything else must pass `test`. */
const optionalText = (max: number, test?: (v: string) => boolean, message = 'Not valid') =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .refine((v) => !v.trim() || !test || test(v.trim()), message);

export const contactSchema = z.object({
  name: optionalText(NAME_MAX),
  email: optionalText(EMAIL_MAX, isEmailAddress, 'Enter an email address such as ops@example.com'),
  phone: optionalText(PHONE_MAX, (v) => PHONE_PATTERN.test(v), 'Enter a phone number such as +46 8 123 456'),
});

export const billingSchema = z.object({
  company: optionalText(NAME_MAX),
  vatId: optionalText(VAT_ID_MAX, (v) => VAT_ID_PATTERN.test(v.toUpperCase()), 'Enter an EU VAT id such as DE123456789'),
  address: optionalText(ADDRESS_MAX),
  email: optionalText(EMAIL_MAX, isEmailAddress, 'Enter an email address such as billing@example.com'),
});

export const contractSchema = z.object({
  name: z.string().trim().min(1, "Enter the partner's name").max(NAME_MAX, `At most ${NAME_MAX} characters`),
  domain: z
    .string()
    .trim()
    // International names may be typed as written: the API stores them in punycode.
    .refine(isDomainNameInput, 'Enter a domain such as nordic-it.se'),
  marginPct: z
    .number({ error: `Enter a margin from ${PCT_MIN} to ${PCT_MAX}` })
    .int('Enter a whole percentage')
    .min(PCT_MIN, `The margin is at least ${PCT_MIN}%`)
    .max(PCT_MAX, `The margin is at most ${PCT_MAX}%`),
});

export const createPartnerSchema = contractSchema.extend({
  slug: z.string().refine(isSlug, `${SLUG_MIN}-${SLUG_MAX} lowercase letters, digits and single hyphens, e.g. nordic-it`),
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

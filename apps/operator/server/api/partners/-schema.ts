// Bodies of the partner routes, mirroring the platform API's CreatePartnerDto / UpdatePartnerDto.
// Optional text left empty (or blank) in a form counts as not given.
import {
  ADDRESS_MAX,
  EMAIL_MAX,
  EMAIL_MESSAGE,
  NAME_EMPTY_MESSAGE,
  NAME_MAX,
  PCT_MAX,
  PCT_MIN,
  PHONE_MESSAGE,
  PHONE_PATTERN,
  VAT_ID_MESSAGE,
  VAT_ID_PATTERN,
} from '@dezky/contracts';
import { z } from 'zod';

const blankToUndefined = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());

export const contactInfoSchema = z.strictObject({
  name: optional(z.string().max(NAME_MAX)),
  email: optional(z.email(EMAIL_MESSAGE).max(EMAIL_MAX)),
  phone: optional(z.string().regex(PHONE_PATTERN, PHONE_MESSAGE)),
});

export const billingInfoSchema = z.strictObject({
  company: optional(z.string().max(NAME_MAX)),
  vatId: optional(z.string().toUpperCase().regex(VAT_ID_PATTERN, VAT_ID_MESSAGE)),
  address: optional(z.string().max(ADDRESS_MAX)),
  email: optional(z.email(EMAIL_MESSAGE).max(EMAIL_MAX)),
});

const name = z.string().trim().min(1, NAME_EMPTY_MESSAGE).max(NAME_MAX);
const marginPct = z.number().int('must be a whole number').min(PCT_MIN).max(PCT_MAX);

export const createPartnerSchema = z.strictObject({
  slug: slugSchema,
  name,
  domain: domainNameSchema,
  marginPct,
  contactInfo: contactInfoSchema.optional(),
  billingInfo: billingInfoSchema.optional(),
});

export const updatePartnerSchema = z
  .strictObject({
    name: name.optional(),
    domain: domainNameSchema.optional(),
    marginPct: marginPct.optional(),
    contactInfo: contactInfoSchema.optional(),
    billingInfo: billingInfoSchema.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'send at least one of name, domain, marginPct, contactInfo, billingInfo');

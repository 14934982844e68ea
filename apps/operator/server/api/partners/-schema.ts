// Bodies of the partner routes, mirroring the platform API's CreatePartnerDto / UpdatePartnerDto.
// Optional text left empty (or blank) in a form counts as not given.
import { z } from 'zod';
import { domainNameSchema, slugSchema } from '../tenants/-validate';

const blankToUndefined = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());

export const contactInfoSchema = z.strictObject({
  name: optional(z.string().max(200)),
  email: optional(z.email('must be an email address').max(254)),
  phone: optional(z.string().regex(/^\+?[0-9 ()./-]{4,30}$/, 'must be a phone number')),
});

export const billingInfoSchema = z.strictObject({
  company: optional(z.string().max(200)),
  vatId: optional(z.string().toUpperCase().regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'must be an EU VAT id such as DE123456789')),
  address: optional(z.string().max(500)),
  email: optional(z.email('must be an email address').max(254)),
});

const name = z.string().trim().min(1, 'must not be empty').max(200);
const marginPct = z.number().int('must be a whole number').min(0).max(100);

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

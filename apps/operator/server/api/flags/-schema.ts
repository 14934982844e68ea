// Input validation shared by the /api/flags/** routes (the "-" prefix keeps this file out of the
// routes), built on the rules of @dezky/contracts the API's DTOs use, and read with the layer's
// input helper: a bad request stops here with a 400 naming the field and its problem.
import {
  DESCRIPTION_MAX,
  ENVIRONMENTS,
  FLAG_KEY_MESSAGE,
  FLAG_KEY_PATTERN,
  FLAG_STATES,
  IMPACT_LISTS,
  IMPACT_PAGE_LIMIT,
  PCT_MAX,
  PCT_MESSAGE,
  PCT_MIN,
  PLANS,
  SCOPE_LIMITS,
} from '@dezky/contracts';
import type { H3Event } from 'h3';
import { z } from 'zod';

export const flagKeySchema = z.string().regex(FLAG_KEY_PATTERN, FLAG_KEY_MESSAGE);

export const flagScopeDraftSchema = z.strictObject({
  plans: z.array(z.enum(PLANS)).max(SCOPE_LIMITS.plans).optional(),
  tenantSlugs: z.array(slugSchema).max(SCOPE_LIMITS.tenantSlugs).optional(),
  partnerSlugs: z.array(slugSchema).max(SCOPE_LIMITS.partnerSlugs).optional(),
  environments: z.array(z.enum(ENVIRONMENTS)).max(SCOPE_LIMITS.environments).optional(),
});

/** A FlagDraft: any subset of description, state, pct, scope (a given axis replaces that axis). */
export const flagDraftSchema = z.strictObject({
  description: z.string().max(DESCRIPTION_MAX).optional(),
  state: z.enum(FLAG_STATES).optional(),
  pct: z.number(PCT_MESSAGE).int(PCT_MESSAGE).min(PCT_MIN, PCT_MESSAGE).max(PCT_MAX, PCT_MESSAGE).optional(),
  scope: flagScopeDraftSchema.optional(),
});

export const createFlagSchema = z.strictObject({
  key: flagKeySchema,
  description: z.string().trim().min(1, 'description is required').max(DESCRIPTION_MAX),
});

export const evaluateSchema = z.strictObject({ tenantSlug: slugSchema });

export const explainQuerySchema = z.object({ tenant: slugSchema });

/** Which page of an impact preview's slug lists: `list` (gained | lost), `offset` >= 0, `limit` 1-100. */
export const impactQuerySchema = z.strictObject({
  list: z.enum(IMPACT_LISTS).optional(),
  offset: z.string().regex(/^\d{1,15}$/, 'offset must be an integer of 0 or more').transform(Number).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `limit must be an integer from 1 to ${IMPACT_PAGE_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= IMPACT_PAGE_LIMIT, `limit must be an integer from 1 to ${IMPACT_PAGE_LIMIT}`)
    .optional(),
});

/** One entity tag (RFC 9110 8.8.3), the flag's ETag as the API handed it out; opaque here. */
export const ifMatchSchema = z
  .string()
  .max(200)
  .regex(/^"[\x21\x23-\x7e]*"$/, 'If-Match must be the ETag of the flag as you read it, sent back exactly as received');

/** The validated `:key` route parameter, encoded for use as one upstream path segment. */
export function flagKeyPath(event: H3Event): string {
  const key = validInput(flagKeySchema, getRouterParam(event, 'key', { decode: true }));
  return `/flags/${encodeURIComponent(key)}`;
}

/** The request's If-Match header, validated; `required` answers 428 when it is missing. */
export function ifMatchHeader(event: H3Event, required: boolean): string | undefined {
  const value = getRequestHeader(event, 'if-match');
  if (value === undefined || value === '') {
    if (!required) return undefined;
    throw createError({
      statusCode: 428,
      statusMessage: 'Precondition Required',
      message: 'Send If-Match with the ETag of the flag you edited, so a concurrent change is not overwritten.',
    });
  }
  return validInput(ifMatchSchema, value);
}

/**
 * A change request's draft (POST /api/flags/:key/change-requests, PATCH /api/change-requests/:id):
 * a flag draft, `protected: false` (un-protecting), or `revertTo` a kept version alone.
 */
export const changeRequestDraftSchema = flagDraftSchema
  .extend({
    protected: z.literal(false, 'protected can only be false in a change request (it un-protects the flag)').optional(),
    revertTo: z.number().int('revertTo must be a whole number').min(1, 'revertTo must be 1 or more').optional(),
  })
  .refine((d) => Object.keys(d).length > 0, 'a change request needs a draft or revertTo')
  .refine((d) => d.revertTo === undefined || Object.keys(d).length === 1, 'revertTo cannot be combined with draft fields');

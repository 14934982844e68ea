// Input validation shared by the /api/flags/** routes (the "-" prefix keeps this file out of the
// routes). Mirrors the platform API's rules so a bad request stops here with a readable 400.
import { ENVIRONMENTS, FLAG_KEY_PATTERN, FLAG_STATES, IMPACT_LISTS, IMPACT_PAGE_LIMIT, PLANS, SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from '@dezky/contracts';
import type { H3Event } from 'h3';
import { z } from 'zod';

const KEY_MESSAGE = 'key must start with a lowercase letter and hold 3-64 lowercase letters, digits or underscores';

export const flagKeySchema = z.string().regex(FLAG_KEY_PATTERN, KEY_MESSAGE);

const slug = z.string().min(SLUG_MIN).max(SLUG_MAX).regex(SLUG_PATTERN, 'not a valid slug');

export const flagScopeDraftSchema = z.strictObject({
  plans: z.array(z.enum(PLANS)).max(100).optional(),
  tenantSlugs: z.array(slug).max(5000).optional(),
  partnerSlugs: z.array(slug).max(1000).optional(),
  environments: z.array(z.enum(ENVIRONMENTS)).max(10).optional(),
});

/** A FlagDraft: any subset of description, state, pct, scope (a given axis replaces that axis). */
export const flagDraftSchema = z.strictObject({
  description: z.string().max(500).optional(),
  state: z.enum(FLAG_STATES).optional(),
  pct: z.number().int('pct must be an integer from 0 to 100').min(0).max(100).optional(),
  scope: flagScopeDraftSchema.optional(),
});

export const createFlagSchema = z.strictObject({
  key: flagKeySchema,
  description: z.string().trim().min(1, 'description is required').max(500),
});

export const evaluateSchema = z.strictObject({ tenantSlug: slug });

export const explainQuerySchema = z.object({ tenant: slug });

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

function fail(error: z.ZodError, what: string): never {
  const message = error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: `Invalid ${what}: ${message}` });
}

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) fail(result.error, what);
  return result.data;
}

/** The validated `:key` route parameter, encoded for use as one upstream path segment. */
export function flagKeyPath(event: H3Event): string {
  const key = parseInput(flagKeySchema, getRouterParam(event, 'key', { decode: true }), 'flag key');
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
  return parseInput(ifMatchSchema, value, 'If-Match header');
}

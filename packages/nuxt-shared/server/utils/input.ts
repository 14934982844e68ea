// The one reader of what a request to the apps' server routes carries: body, query, route
// parameters and headers, each checked against a zod schema built on the rules of
// @dezky/contracts. Bad input answers 400 "Bad Request" whose message names every field and its
// problem ("slug must be lowercase letters…; marginPct must be a whole number"), so nothing
// unvalidated reaches the platform API and nothing but a validated, encoded value reaches its URL.
import {
  DOMAIN_MESSAGE,
  isDomainNameInput,
  isSlug,
  OBJECT_ID_MESSAGE,
  OBJECT_ID_PATTERN,
  PAGE_LIMIT_MAX,
  PAGE_OFFSET_MAX,
  SLUG_MESSAGE,
} from '@dezky/contracts';
import { createError, getQuery, getRouterParam, readBody, type H3Event } from 'h3';
import { z } from 'zod';

/** A tenant's or partner's slug (`isSlug`). */
export const slugSchema = z.string().refine(isSlug, SLUG_MESSAGE);

/**
 * A domain name as typed, international ones in Unicode or punycode. Only its shape is checked
 * here: the API normalises it to lower-case ASCII and names, with a 400, what does not normalise.
 */
export const domainNameSchema = z.string().trim().refine(isDomainNameInput, DOMAIN_MESSAGE);

/** A MongoDB ObjectId in hex, the shape of every id the API hands out. */
export const objectIdSchema = z.string().regex(OBJECT_ID_PATTERN, OBJECT_ID_MESSAGE);

/** `limit` (1-100) and `offset` of a paged list, as query strings. */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).optional(),
  offset: z.coerce.number().int().min(0).max(PAGE_OFFSET_MAX).optional(),
};

/**
 * One problem as a sentence that starts with the field it is about. A message that already
 * names its field ("key must start with…") is not prefixed twice.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (!issue.path.length) return issue.message;
  const field = issue.path.map(String).join('.');
  const last = String(issue.path[issue.path.length - 1]);
  return issue.message.startsWith(`${last} `) ? `${field}${issue.message.slice(last.length)}` : `${field} ${issue.message}`;
}

/** The 400 answered for input that breaks its schema: every problem, in order, joined by "; ". */
export function invalidInput(error: z.ZodError) {
  return createError({ statusCode: 400, statusMessage: 'Bad Request', message: error.issues.map(describeIssue).join('; ') });
}

/** `value` parsed with `schema`; 400 naming each field and its problem otherwise. */
export function validInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

/** The JSON body parsed with `schema` (no body reads as `{}`); 400 otherwise. */
export async function validBody<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  const raw: unknown = await readBody(event).catch(() => {
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'The request body must be JSON.' });
  });
  return validInput(schema, raw ?? {});
}

/** The query string parsed with `schema`; 400 otherwise. */
export function validQuery<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  return validInput(schema, getQuery(event));
}

/** A 404 "Not Found" with `message`: what a route parameter that cannot name anything answers. */
function notFound(message: string) {
  return createError({ statusCode: 404, statusMessage: 'Not Found', message });
}

/** How a parameter that names nothing is quoted in its 404: JSON, at most 60 characters. */
export function quoted(value: string | undefined): string {
  return JSON.stringify(String(value ?? '').slice(0, 60));
}

const nothingNamed = (value: string | undefined) => `Nothing is named ${quoted(value)}`;
const noDomainNamed = (value: string | undefined) => `No domain is named ${quoted(value)}`;

/**
 * The route's `:slug`, validated. A slug that cannot name anything is simply not found, as in the
 * API: 404 with `notFoundMessage`.
 */
export function slugParam(event: H3Event, notFoundMessage = nothingNamed): string {
  const slug = getRouterParam(event, 'slug', { decode: true });
  if (!isSlug(slug)) throw notFound(notFoundMessage(slug));
  return slug;
}

/** The route's `:slug`, validated and encoded as one path segment of the upstream URL. */
export function slugSegment(event: H3Event, notFoundMessage = nothingNamed): string {
  return encodeURIComponent(slugParam(event, notFoundMessage));
}

/** The route's `:domain`, shape-checked (else 404 with `notFoundMessage`) and encoded as one path segment. */
export function domainSegment(event: H3Event, notFoundMessage = noDomainNamed): string {
  const domain = getRouterParam(event, 'domain', { decode: true });
  if (!isDomainNameInput(domain)) throw notFound(notFoundMessage(domain));
  return encodeURIComponent(domain.trim());
}

/** Drops keys whose value is undefined (an optional field left empty in a form). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Input validation shared by the operator's partner, tenant and audit routes (the `-` prefix keeps
// Nitro from serving this file as a route). Invalid input answers 400 with a readable message,
// so nothing unvalidated reaches the platform API and nothing but a validated slug reaches its URL.
import { isDomainNameInput, isSlug } from '@dezky/contracts';
import { createError, getQuery, getRouterParam, readBody, type H3Event } from 'h3';
import { z } from 'zod';

/** A tenant's or partner's slug: lowercase letters, digits and single hyphens, 3-40 characters. */
export const slugSchema = z.string().refine(isSlug, 'must be a slug: 3-40 lowercase letters, digits and single hyphens');

/**
 * A domain name as typed, international ones in Unicode or punycode. Only its shape is checked
 * here: the API normalises it to lower-case ASCII and names, with a 400, what does not normalise.
 */
export const domainNameSchema = z.string().trim().refine(isDomainNameInput, 'must be a domain name such as example.com');

/** A MongoDB ObjectId in hex, the shape of every id the API hands out. */
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id of 24 hexadecimal characters');

function message(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message))
    .join('; ');
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: `Invalid ${what}: ${message(result.error)}` });
}

export async function validBody<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  return parse(schema, await readBody(event).catch(() => undefined), 'request body');
}

export function validQuery<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  return parse(schema, getQuery(event), 'query');
}

/**
 * The route's `:slug`, validated. A slug that cannot name anything is simply not found, as in the API.
 */
export function slugParam(event: H3Event): string {
  const slug = getRouterParam(event, 'slug', { decode: true });
  if (!isSlug(slug)) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `Nothing is named ${JSON.stringify(String(slug ?? '').slice(0, 60))}` });
  return slug;
}

/** The route's `:slug`, validated and encoded as one path segment of the upstream URL. */
export function slugSegment(event: H3Event): string {
  return encodeURIComponent(slugParam(event));
}

/** The route's `:domain`, shape-checked (else nothing is named so: 404) and encoded as one path segment. */
export function domainSegment(event: H3Event): string {
  const domain = getRouterParam(event, 'domain', { decode: true });
  if (!isDomainNameInput(domain)) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `No domain is named ${JSON.stringify(String(domain ?? '').slice(0, 60))}` });
  return encodeURIComponent(domain.trim());
}

/** Drops keys whose value is undefined (an optional field left empty in a form). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Input validation of the portal's server routes (zod). Every route validates what it forwards
// to the platform API; a tenant slug reaches an upstream URL only validated and encoded.
import type { H3Event } from 'h3';
import { isDomainNameInput, isSlug, SLUG_MAX, SLUG_MIN } from '@dezky/contracts';
import { z } from 'zod';

/** A tenant slug: lowercase letters, digits and single hyphens, 3-40 characters (`isSlug`). */
export const tenantSlugSchema = z
  .string()
  .refine(isSlug, `must be ${SLUG_MIN}-${SLUG_MAX} lowercase letters, digits and single hyphens`);

/**
 * A domain name as typed, international ones in Unicode or punycode: only its shape is checked
 * here; the API normalises it to lower-case ASCII and names, with a 400, what does not normalise.
 */
export const domainNameSchema = z.string().trim().refine(isDomainNameInput, 'must be a domain name such as example.com');

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message)).join('; ');
}

/** The JSON body parsed with `schema`; 400 with a readable message otherwise. */
export async function readZodBody<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  const raw: unknown = await readBody(event).catch(() => {
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'The request body must be JSON.' });
  });
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: describeIssues(result.error) });
  }
  return result.data;
}

/**
 * The `:slug` route parameter as a valid tenant slug, encoded for an upstream path segment. A
 * malformed slug cannot name a tenant: 404, like the API.
 */
export function tenantSlugPathSegment(event: H3Event): string {
  const result = tenantSlugSchema.safeParse(getRouterParam(event, 'slug', { decode: true }));
  if (!result.success) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: TENANT_NOT_FOUND_MESSAGE });
  return encodeURIComponent(result.data);
}

/**
 * The `:domain` route parameter, shape-checked and encoded for an upstream path segment. One
 * that cannot be a domain names none of the tenant's: 404, like the API.
 */
export function domainPathSegment(event: H3Event): string {
  const result = domainNameSchema.safeParse(getRouterParam(event, 'domain', { decode: true }));
  if (!result.success) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: 'This tenant has no such domain' });
  return encodeURIComponent(result.data);
}

// GET /api/partners/:slug/tenants → platform API GET /partners/:slug/tenants: the partner's
// customers. Query: limit (1-100), offset.
import type { Page, Tenant } from '@dezky/contracts';
import { z } from 'zod';
import { slugSegment, validQuery } from '../../tenants/-validate';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export default defineEventHandler((event) => {
  const slug = slugSegment(event);
  return platformApi<Page<Tenant>>(event, `/partners/${slug}/tenants`, { query: validQuery(event, query) });
});

// GET /api/partners/:slug/tenants → platform API GET /partners/:slug/tenants: the partner's
// customers. Query: limit (1-100), offset.
import type { Page, Tenant } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object(pageQueryShape);

export default defineEventHandler((event) => {
  const slug = slugSegment(event);
  return platformApi<Page<Tenant>>(event, `/partners/${slug}/tenants`, { query: validQuery(event, query) });
});

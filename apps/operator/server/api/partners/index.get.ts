// GET /api/partners → platform API GET /partners (operators only), with customers, MRR, margin.
// Query: search, status, limit (1-100), offset.
import type { Page, PartnerWithStats } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object({
  search: z.string().max(100).optional(),
  status: z.enum(['active', 'terminated']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export default defineEventHandler(async (event) => {
  const q = await getValidatedQuery(event, (raw) => query.parse(raw));
  return platformApi<Page<PartnerWithStats>>(event, '/partners', { query: q });
});

// GET /api/partners → platform API GET /partners (operators only), with customers, MRR, margin.
// Query: search, status, limit (1-100), offset.
import { PARTNER_STATUSES, SEARCH_MAX, type Page, type PartnerWithStats } from '@dezky/contracts';
import { z } from 'zod';

const query = z.object({
  search: z.string().max(SEARCH_MAX).optional(),
  status: z.enum(PARTNER_STATUSES).optional(),
  ...pageQueryShape,
});

export default defineEventHandler(async (event) => {
  return platformApi<Page<PartnerWithStats>>(event, '/partners', { query: validQuery(event, query) });
});

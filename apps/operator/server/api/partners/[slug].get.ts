// GET /api/partners/:slug → platform API GET /partners/:slug, with customers, MRR and margin.
import type { PartnerWithStats } from '@dezky/contracts';

export default defineEventHandler((event) => platformApi<PartnerWithStats>(event, `/partners/${slugSegment(event)}`));

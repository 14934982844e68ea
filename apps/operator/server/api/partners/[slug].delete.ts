// DELETE /api/partners/:slug → platform API DELETE /partners/:slug: terminates the partner softly
// (idempotent; its tenants stay attached, new attachments are refused). Answers the partner.
import type { PartnerWithStats } from '@dezky/contracts';

export default defineEventHandler((event) =>
  platformApi<PartnerWithStats>(event, `/partners/${slugSegment(event)}`, { method: 'DELETE' }),
);

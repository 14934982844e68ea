// POST /api/flags/evaluate { tenantSlug } → platform API POST /flags/evaluate: every flag
// evaluated for the tenant, `{ [key]: boolean }`. 404 for a tenant the user does not belong to.
import type { EvaluatedFlags } from '@dezky/contracts';
import { z } from 'zod';

const body = z.object({ tenantSlug: slugSchema });

export default defineEventHandler(async (event) => {
  // Signed in first: a visitor without a session learns nothing about the input's shape.
  await requireUserSession(event);
  const { tenantSlug } = await validBody(event, body);
  const flags = await platformApi<EvaluatedFlags>(event, '/flags/evaluate', { method: 'POST', body: { tenantSlug } });
  // Flags change at any time (an operator's switch): never cached.
  setResponseHeader(event, 'cache-control', 'private, no-store');
  return flags;
});

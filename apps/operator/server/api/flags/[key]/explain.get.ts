// GET /api/flags/:key/explain?tenant=<slug> → platform API GET /flags/:key/explain: why the flag
// evaluates the way it does for that tenant.
import type { FlagExplanation } from '@dezky/contracts';
import { explainQuerySchema, flagKeyPath } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const query = validQuery(event, explainQuerySchema);
  return platformApi<FlagExplanation & { context: Record<string, unknown> }>(event, `${path}/explain`, { query: { tenant: query.tenant } });
});

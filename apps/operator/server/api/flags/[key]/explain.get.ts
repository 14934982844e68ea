// GET /api/flags/:key/explain?tenant=<slug> → platform API GET /flags/:key/explain: why the flag
// evaluates the way it does for that tenant.
import type { FlagExplanation } from '@dezky/contracts';
import { explainQuerySchema, flagKeyPath, parseInput } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const query = parseInput(explainQuerySchema, getQuery(event), 'query');
  return platformApi<FlagExplanation & { context: Record<string, unknown> }>(event, `${path}/explain`, { query: { tenant: query.tenant } });
});

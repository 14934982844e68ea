// POST /api/flags/:key/impact → platform API POST /flags/:key/impact: how many tenants would gain
// and lose the flag under the draft, over every tenant (exact counts), with the first 100 slugs of
// each list, or another page of one list: ?list=gained|lost&offset=&limit= (1-100).
import type { FlagImpact } from '@dezky/contracts';
import { flagDraftSchema, flagKeyPath, impactQuerySchema } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const query = validQuery(event, impactQuerySchema);
  const body = await validBody(event, flagDraftSchema);
  return platformApi<FlagImpact>(event, `${path}/impact`, { method: 'POST', body, query });
});

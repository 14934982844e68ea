// POST /api/flags/:key/impact → platform API POST /flags/:key/impact: exactly which tenants would
// gain and lose the flag under the draft, over every tenant.
import type { FlagImpact } from '@dezky/contracts';
import { flagDraftSchema, flagKeyPath, parseInput } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const body = parseInput(flagDraftSchema, await readBody(event), 'flag draft');
  return platformApi<FlagImpact>(event, `${path}/impact`, { method: 'POST', body });
});

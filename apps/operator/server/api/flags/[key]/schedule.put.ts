// PUT /api/flags/:key/schedule → platform API PUT /flags/:key/schedule: creates or replaces the
// flag's plan, with If-Match passed up when sent (the plan is then refused, 412, if the flag
// changed since the operator read it). A first step "now" is applied before the answer.
import type { FlagScheduleAnswer } from '@dezky/contracts';
import { flagKeyPath, ifMatchHeader } from '../-schema';
import { scheduleDraftSchema } from './-schedule-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, false);
  const body = await validBody(event, scheduleDraftSchema);
  return platformApi<FlagScheduleAnswer>(event, `${path}/schedule`, { method: 'PUT', body, headers: ifMatch ? { 'if-match': ifMatch } : undefined });
});

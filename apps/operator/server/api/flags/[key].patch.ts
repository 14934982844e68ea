// PATCH /api/flags/:key → platform API PATCH /flags/:key with the draft. If-Match is required and
// passed up: an ETag the flag no longer has answers 412 and nothing changes.
import type { Flag } from '@dezky/contracts';
import { flagDraftSchema, flagKeyPath, ifMatchHeader } from './-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, true);
  const body = await validBody(event, flagDraftSchema);
  return platformApi<Flag>(event, path, { method: 'PATCH', body, headers: { 'if-match': ifMatch } });
});

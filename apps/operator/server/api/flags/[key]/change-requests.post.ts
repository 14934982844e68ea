// POST /api/flags/:key/change-requests → platform API POST /flags/:key/change-requests: asks for
// approval of a change of a protected flag. If-Match (the ETag of the flag the draft was made on)
// is required and passed up.
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestDraftSchema, flagKeyPath, ifMatchHeader } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, true);
  const body = await validBody(event, changeRequestDraftSchema);
  setResponseStatus(event, 201);
  return platformApi<ChangeRequest>(event, `${path}/change-requests`, { method: 'POST', body, headers: { 'if-match': ifMatch } });
});

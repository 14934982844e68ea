// POST /api/flags/:key/protect → platform API POST /flags/:key/protect: from now on the flag's
// changes need another administrator's approval. Refused (409, with the API's message) while
// there are too few platform administrators for anyone to approve.
import type { Flag } from '@dezky/contracts';
import { flagKeyPath, ifMatchHeader } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, false);
  return platformApi<Flag>(event, `${path}/protect`, { method: 'POST', headers: ifMatch ? { 'if-match': ifMatch } : {} });
});

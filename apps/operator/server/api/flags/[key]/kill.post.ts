// POST /api/flags/:key/kill → platform API POST /flags/:key/kill: off at 0% for every tenant, on
// the flag as it is now (no If-Match: the incident path never stops at a conflict).
import type { Flag } from '@dezky/contracts';
import { flagKeyPath } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  return platformApi<Flag>(event, `${path}/kill`, { method: 'POST' });
});

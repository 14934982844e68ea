// POST /api/flags/:key/revert → platform API POST /flags/:key/revert { version }: a new version
// whose contents equal an earlier one's. If-Match is required and passed up: the revert applies
// only to the flag as it was previewed (412 otherwise, and nothing changes).
import type { Flag } from '@dezky/contracts';
import { z } from 'zod';
import { flagKeyPath, ifMatchHeader } from '../-schema';

const body = z.strictObject({ version: z.number().int('version must be a whole number').min(1, 'version must be 1 or more') });

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, true);
  const { version } = await validBody(event, body);
  return platformApi<Flag>(event, `${path}/revert`, { method: 'POST', body: { version }, headers: { 'if-match': ifMatch } });
});

// GET /api/flags → platform API GET /flags (operators only): every flag with its history.
import type { Flag } from '@dezky/contracts';

interface FlagList {
  items: Flag[];
  /** Validator of the whole flag set. */
  etag: string;
}

export default defineEventHandler(async (event) => {
  return platformApi<FlagList>(event, '/flags');
});

// GET /api/flags → platform API GET /flags (operators only): every flag with its history.
import type { Flag } from '@dezky/contracts';
import { z } from 'zod';
import { parseInput } from './-schema';

interface FlagList {
  items: Flag[];
  /** Validator of the whole flag set. */
  etag: string;
}

export default defineEventHandler(async (event) => {
  parseInput(z.object({}), getQuery(event), 'query');
  return platformApi<FlagList>(event, '/flags');
});

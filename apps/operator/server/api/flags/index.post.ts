// POST /api/flags → platform API POST /flags: creates a flag (off, pct 0). 409 when the key exists.
import type { Flag } from '@dezky/contracts';
import { createFlagSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const body = await validBody(event, createFlagSchema);
  const flag = await platformApi<Flag>(event, '/flags', { method: 'POST', body });
  setResponseStatus(event, 201);
  return flag;
});

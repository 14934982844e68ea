// GET /api/change-requests → platform API GET /change-requests (operators only), newest first.
// Query: status (pending, approved, rejected, withdrawn), flag (a key), limit, offset.
import { CHANGE_REQUEST_STATUSES, type ChangeRequest, type Page } from '@dezky/contracts';
import { z } from 'zod';
import { flagKeySchema } from '../flags/-schema';

const query = z.strictObject({ status: z.enum(CHANGE_REQUEST_STATUSES).optional(), flag: flagKeySchema.optional(), ...pageQueryShape });

export default defineEventHandler(async (event) => {
  const filter = validQuery(event, query);
  return platformApi<Page<ChangeRequest>>(event, '/change-requests', { query: filter });
});

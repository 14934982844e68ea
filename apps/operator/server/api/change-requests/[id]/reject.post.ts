// POST /api/change-requests/:id/reject → platform API POST /change-requests/:id/reject { comment }
// (required): another administrator than the author rejects; nothing changes.
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestPath, rejectSchema } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = changeRequestPath(event);
  const body = await validBody(event, rejectSchema);
  return platformApi<ChangeRequest>(event, `${path}/reject`, { method: 'POST', body });
});

// POST /api/change-requests/:id/approve → platform API POST /change-requests/:id/approve { comment }:
// another administrator than the author approves; the approval that completes it applies it.
import type { ChangeRequest } from '@dezky/contracts';
import { approveSchema, changeRequestPath } from '../-schema';

export default defineEventHandler(async (event) => {
  const path = changeRequestPath(event);
  const body = await validBody(event, approveSchema);
  return platformApi<ChangeRequest>(event, `${path}/approve`, { method: 'POST', body });
});

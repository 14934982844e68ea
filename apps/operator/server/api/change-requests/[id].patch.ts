// PATCH /api/change-requests/:id → platform API PATCH /change-requests/:id: the author edits the
// draft; approvals so far are reset and the impact computed again.
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestDraftSchema } from '../flags/-schema';
import { changeRequestPath } from './-schema';

export default defineEventHandler(async (event) => {
  const path = changeRequestPath(event);
  const body = await validBody(event, changeRequestDraftSchema);
  return platformApi<ChangeRequest>(event, path, { method: 'PATCH', body });
});

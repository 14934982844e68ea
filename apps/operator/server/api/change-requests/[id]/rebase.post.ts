// POST /api/change-requests/:id/rebase → platform API POST /change-requests/:id/rebase: the author
// drafts the request again on the flag's current version (approvals reset).
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestPath } from '../-schema';

export default defineEventHandler(async (event) => platformApi<ChangeRequest>(event, `${changeRequestPath(event)}/rebase`, { method: 'POST' }));

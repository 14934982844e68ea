// POST /api/change-requests/:id/withdraw → platform API POST /change-requests/:id/withdraw: the
// author takes the request back.
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestPath } from '../-schema';

export default defineEventHandler(async (event) => platformApi<ChangeRequest>(event, `${changeRequestPath(event)}/withdraw`, { method: 'POST' }));

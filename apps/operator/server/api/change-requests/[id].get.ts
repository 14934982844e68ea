// GET /api/change-requests/:id → platform API GET /change-requests/:id.
import type { ChangeRequest } from '@dezky/contracts';
import { changeRequestPath } from './-schema';

export default defineEventHandler(async (event) => platformApi<ChangeRequest>(event, changeRequestPath(event)));

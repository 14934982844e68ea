// GET /api/flags/:key → platform API GET /flags/:key (ETag: the version).
import type { Flag } from '@dezky/contracts';
import { flagKeyPath } from './-schema';

export default defineEventHandler(async (event) => platformApi<Flag>(event, flagKeyPath(event)));

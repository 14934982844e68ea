// GET /api/flags/:key → platform API GET /flags/:key (with its ETag, also the body's `etag`).
import type { Flag } from '@dezky/contracts';
import { flagKeyPath } from './-schema';

export default defineEventHandler(async (event) => platformApi<Flag>(event, flagKeyPath(event)));

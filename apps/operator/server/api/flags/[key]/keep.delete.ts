// DELETE /api/flags/:key/keep → platform API DELETE /flags/:key/keep: the flag may be reported potentially stale again.
import type { FlagUsage } from '@dezky/contracts';
import { flagKeyPath } from '../-schema';

export default defineEventHandler((event) => platformApi<FlagUsage>(event, `${flagKeyPath(event)}/keep`, { method: 'DELETE' }));

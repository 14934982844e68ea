// PUT /api/flags/:key/keep → platform API PUT /flags/:key/keep: never report the flag potentially stale.
import type { FlagUsage } from '@dezky/contracts';
import { flagKeyPath } from '../-schema';

export default defineEventHandler((event) => platformApi<FlagUsage>(event, `${flagKeyPath(event)}/keep`, { method: 'PUT' }));

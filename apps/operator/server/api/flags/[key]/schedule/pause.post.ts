// POST /api/flags/:key/schedule/pause → platform API POST /flags/:key/schedule/pause.
import type { FlagScheduleAnswer } from '@dezky/contracts';
import { flagKeyPath } from '../../-schema';

export default defineEventHandler(async (event) => platformApi<FlagScheduleAnswer>(event, `${flagKeyPath(event)}/schedule/pause`, { method: 'POST' }));

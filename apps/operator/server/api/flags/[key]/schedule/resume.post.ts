// POST /api/flags/:key/schedule/resume → platform API POST /flags/:key/schedule/resume: the paused
// plan goes on from the flag as it is now.
import type { FlagScheduleAnswer } from '@dezky/contracts';
import { flagKeyPath } from '../../-schema';

export default defineEventHandler(async (event) => platformApi<FlagScheduleAnswer>(event, `${flagKeyPath(event)}/schedule/resume`, { method: 'POST' }));

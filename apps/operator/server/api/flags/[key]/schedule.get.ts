// GET /api/flags/:key/schedule → platform API GET /flags/:key/schedule: the flag's planned ramp,
// or { schedule: null }.
import type { FlagScheduleAnswer } from '@dezky/contracts';
import { flagKeyPath } from '../-schema';

export default defineEventHandler(async (event) => platformApi<FlagScheduleAnswer>(event, `${flagKeyPath(event)}/schedule`));

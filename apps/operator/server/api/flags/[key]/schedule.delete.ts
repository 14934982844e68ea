// DELETE /api/flags/:key/schedule → platform API DELETE /flags/:key/schedule: cancels the plan's
// pending steps (the plan is kept, cancelled, to show what it did).
import type { FlagScheduleAnswer } from '@dezky/contracts';
import { flagKeyPath } from '../-schema';

export default defineEventHandler(async (event) => platformApi<FlagScheduleAnswer>(event, `${flagKeyPath(event)}/schedule`, { method: 'DELETE' }));

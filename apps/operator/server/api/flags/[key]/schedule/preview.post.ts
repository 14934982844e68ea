// POST /api/flags/:key/schedule/preview → platform API POST /flags/:key/schedule/preview: every
// step's exact impact over today's tenants, each against the step before it. Nothing is saved.
import type { FlagSchedulePreview } from '@dezky/contracts';
import { flagKeyPath } from '../../-schema';
import { scheduleDraftSchema } from '../-schedule-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const body = await validBody(event, scheduleDraftSchema);
  return platformApi<FlagSchedulePreview>(event, `${path}/schedule/preview`, { method: 'POST', body });
});

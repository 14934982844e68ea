// Input of the /api/flags/:key/schedule* routes (the "-" prefix keeps this file out of the
// routes): a planned ramp, on the rules of @dezky/contracts the API's DTOs use. Which instants are
// allowed (not past, in order, within the horizon) the API decides and names.
import { FLAG_STATES, PCT_MAX, PCT_MESSAGE, PCT_MIN, SCHEDULE_NOW, SCHEDULE_STEPS_MAX } from '@dezky/contracts';
import { z } from 'zod';

const AT_MESSAGE = `at must be "${SCHEDULE_NOW}" or an ISO 8601 date-time with its offset from UTC`;

export const scheduleStepSchema = z.strictObject({
  at: z.union([z.literal(SCHEDULE_NOW), z.iso.datetime({ offset: true, message: AT_MESSAGE })], { error: AT_MESSAGE }),
  state: z.enum(FLAG_STATES).optional(),
  pct: z.number(PCT_MESSAGE).int(PCT_MESSAGE).min(PCT_MIN, PCT_MESSAGE).max(PCT_MAX, PCT_MESSAGE).optional(),
});

export const scheduleDraftSchema = z.strictObject({
  steps: z.array(scheduleStepSchema).min(1, 'steps must list at least one step').max(SCHEDULE_STEPS_MAX, `steps must list at most ${SCHEDULE_STEPS_MAX} steps`),
});

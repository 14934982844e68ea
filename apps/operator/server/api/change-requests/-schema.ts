// Input of the /api/change-requests/** routes (the "-" prefix keeps this file out of the routes).
import { CHANGE_REQUEST_COMMENT_MAX } from '@dezky/contracts';
import type { H3Event } from 'h3';
import { z } from 'zod';

/** The validated `:id` route parameter as an upstream path. */
export function changeRequestPath(event: H3Event): string {
  return `/change-requests/${validInput(objectIdSchema, getRouterParam(event, 'id'))}`;
}

export const approveSchema = z.strictObject({ comment: z.string().trim().max(CHANGE_REQUEST_COMMENT_MAX).optional() });
export const rejectSchema = z.strictObject({
  comment: z.string('comment is required: say why you reject the change').trim().min(1, 'comment is required: say why you reject the change').max(CHANGE_REQUEST_COMMENT_MAX),
});

// Routes of the operator app that the platform API would answer for anyone signed in (a customer
// sees the tenants they belong to): here they are for platform administrators only, refused as
// the API refuses its operator routes.
import type { H3Event } from 'h3';

export const PLATFORM_ADMIN_REQUIRED = 'This endpoint requires a platform administrator';

export async function requirePlatformAdmin(event: H3Event): Promise<void> {
  const { user } = await requireUserSession(event);
  if (user.platformAdmin !== true) throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: PLATFORM_ADMIN_REQUIRED });
}

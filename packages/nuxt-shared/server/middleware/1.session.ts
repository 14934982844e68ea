// Runs first on every request: a signed-out session (server/utils/signed-out-sessions.ts) counts as
// no session; the app's API routes answer 401 without a session before anything else, so a visitor
// who is not signed in gets no route to read a body or describe its input; and no answer given to
// a signed-in user may be kept by a cache.
import type { H3Event } from 'h3';

/** API routes that answer without a session: health, nuxt-auth-utils' session and the icon bundle. */
const PUBLIC_API = ['/api/health', '/api/_auth/', '/api/_nuxt_icon/'];

function needsSession(path: string): boolean {
  if (path !== '/api' && !path.startsWith('/api/')) return false;
  return !PUBLIC_API.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix));
}

function unauthorized(message: string) {
  return createError({ statusCode: 401, statusMessage: 'Unauthorized', message });
}

async function signedOut(event: H3Event, id: string): Promise<boolean> {
  try {
    return await isSignedOut(event, id);
  } catch (error) {
    console.error(`[auth] reading the signed-out sessions failed: ${error instanceof Error ? error.message : String(error)}`);
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'Sessions cannot be checked right now. Try again shortly.' });
  }
}

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0] ?? '/';
  // Without a cookie there is no session to open (and none is created for the answer).
  if (!carriesSession(event)) {
    if (needsSession(path)) throw unauthorized('Sign in first.');
    return;
  }
  const session = await getUserSession(event);
  if (!session.user) {
    if (needsSession(path)) throw unauthorized('Sign in first.');
    return;
  }
  if (await signedOut(event, session.id)) {
    forgetRequestSession(event);
    if (needsSession(path)) throw unauthorized('Your session has ended. Sign in again.');
    return;
  }
  setResponseHeader(event, 'cache-control', 'no-store');
});

// Runs first on every request: the app's API routes answer 401 without a session before anything
// else, so a visitor who is not signed in gets no route to read a body or describe its input.

/** API routes that answer without a session: health, nuxt-auth-utils' session and the icon bundle. */
const PUBLIC_API = ['/api/health', '/api/_auth/', '/api/_nuxt_icon/'];

function needsSession(path: string): boolean {
  if (path !== '/api' && !path.startsWith('/api/')) return false;
  return !PUBLIC_API.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix));
}

function unauthorized(message: string) {
  return createError({ statusCode: 401, statusMessage: 'Unauthorized', message });
}

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0] ?? '/';
  // Without a cookie there is no session to open (and none is created for the answer).
  if (!carriesSession(event)) {
    if (needsSession(path)) throw unauthorized('Sign in first.');
    return;
  }
  const session = await getUserSession(event);
  if (!session.user && needsSession(path)) throw unauthorized('Sign in first.');
});

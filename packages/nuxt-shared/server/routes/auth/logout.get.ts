// GET /auth/logout signs nobody out: a link or an image on any site could otherwise do it.
export default defineEventHandler((event) => {
  setResponseHeader(event, 'allow', 'POST');
  throw createError({ statusCode: 405, statusMessage: 'Method Not Allowed', message: 'Sign out with POST /auth/logout.' });
});

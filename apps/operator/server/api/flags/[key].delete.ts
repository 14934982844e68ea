// DELETE /api/flags/:key → platform API DELETE /flags/:key (If-Match, when given, is passed up).
import { flagKeyPath, ifMatchHeader } from './-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const ifMatch = ifMatchHeader(event, false);
  await platformApi<void>(event, path, { method: 'DELETE', headers: { 'if-match': ifMatch } });
  setResponseStatus(event, 204);
  return null;
});

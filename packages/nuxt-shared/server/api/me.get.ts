// GET /api/me → platform API GET /me. Also keeps the session's `user` in step with the API
// (name changes, platform administrator granted or revoked).
import type { MeResponse } from '@dezky/contracts';

export default defineEventHandler(async (event) => {
  const me = await platformApi<MeResponse>(event, '/me');
  const { id, email, name, platformAdmin } = me.profile;
  const { user } = await getUserSession(event);
  if (!user || user.id !== id || user.email !== email || user.name !== name || user.platformAdmin !== platformAdmin) {
    await setUserSession(event, { user: { id, email, name, platformAdmin } });
  }
  return me;
});

// GET /api/flags/:key/versions/:version → platform API GET /flags/:key/versions/:version: the
// flag's contents at one of its kept versions, to preview a revert.
import type { Flag } from '@dezky/contracts';
import { flagKeyPath } from '../../-schema';

export default defineEventHandler(async (event) => {
  const path = flagKeyPath(event);
  const version = getRouterParam(event, 'version') ?? '';
  if (!/^[1-9][0-9]{0,8}$/.test(version)) throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `There is no version ${version.slice(0, 20)} of this flag.` });
  return platformApi<Pick<Flag, 'key' | 'version' | 'description' | 'state' | 'pct' | 'scope'>>(event, `${path}/versions/${version}`);
});

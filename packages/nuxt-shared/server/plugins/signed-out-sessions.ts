// Mounts the storage of signed-out sessions (server/utils/signed-out-sessions.ts) on the directory
// NUXT_SESSION_STORE_DIR, shared by every replica of the app, and records every session that
// nuxt-auth-utils clears (sign-out, a session the identity provider or the API ended) there.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fsLiteDriver from 'unstorage/drivers/fs-lite';

const SWEEP_INTERVAL_MS = 60 * 60_000;

export default defineNitroPlugin(() => {
  const dir = resolve(String(useRuntimeConfig().sessionStore.dir));
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    // Without it signing out could not end a session: refuse to start rather than pretend.
    throw new Error(`NUXT_SESSION_STORE_DIR (${dir}) must be a writable directory: ${error instanceof Error ? error.message : String(error)}`);
  }
  useStorage().mount(SIGNED_OUT_STORAGE, fsLiteDriver({ base: dir }));

  sessionHooks.hook('clear', async (_data, event) => {
    const { id, user } = await getUserSession(event);
    if (!id || !user) return;
    try {
      await recordSignOut(event, id);
    } catch (error) {
      console.error(`[auth] recording a sign-out failed: ${error instanceof Error ? error.message : String(error)}`);
      throw createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'Signing out failed. Try again shortly.' });
    }
  });

  const sweep = () =>
    forgetExpiredSignOuts().catch((error: unknown) => {
      console.warn(`[auth] removing expired sign-outs failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  void sweep();
  setInterval(sweep, SWEEP_INTERVAL_MS).unref();
});

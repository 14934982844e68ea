// Signed-out sessions. A session lives in its sealed cookie (nuxt-auth-utils), so signing out can
// only ask the browser to drop it: a copy of the cookie would still be a valid session. Signing
// out therefore records the session's id here until the session would have expired anyway, and a
// request carrying a recorded session is treated as carrying none. The storage is a directory
// (NUXT_SESSION_STORE_DIR) that every replica of an app must share, so that signing out on one
// replica ends the session on all of them (server/plugins/signed-out-sessions.ts mounts it).
import type { H3Event } from 'h3';

export const SIGNED_OUT_STORAGE = 'signed-out-sessions';

/** Session ids are h3's random UUIDs; anything else is never used as a storage key. */
const SESSION_ID = /^[\w-]{1,64}$/;

interface SignedOut {
  /** Epoch milliseconds after which the session would have expired by itself. */
  until: number;
}

function signedOutStorage() {
  return useStorage<SignedOut>(SIGNED_OUT_STORAGE);
}

/** `<cookie name>:<id>`: the apps may share one directory. */
function storageKey(event: H3Event, id: string): string | undefined {
  return SESSION_ID.test(id) ? `${sessionCookieName(event)}:${id}` : undefined;
}

/** Records the session `id` as signed out for as long as a session can live. */
export async function recordSignOut(event: H3Event, id: string): Promise<void> {
  const key = storageKey(event, id);
  if (!key) return;
  const maxAgeSeconds = Number(useRuntimeConfig(event).session.maxAge);
  await signedOutStorage().setItem(key, { until: Date.now() + maxAgeSeconds * 1000 });
}

export async function isSignedOut(event: H3Event, id: string): Promise<boolean> {
  const key = storageKey(event, id);
  return key ? signedOutStorage().hasItem(key) : false;
}

/**
 * Removes the records of sessions that have expired by now (each replica does it now and then).
 * A record it cannot read (another replica may be writing it) is left alone.
 */
export async function forgetExpiredSignOuts(): Promise<void> {
  const storage = signedOutStorage();
  const now = Date.now();
  for (const key of await storage.getKeys()) {
    const entry = await storage.getItem(key).catch(() => null);
    if (typeof entry?.until === 'number' && entry.until < now) await storage.removeItem(key);
  }
}

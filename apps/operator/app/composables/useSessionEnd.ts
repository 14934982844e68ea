// The flag panel's calls to the app's server. A 401 there means the session ended while someone
// may be in the middle of an edit: instead of leaving for /login at once (what `$api` does, which
// would drop the edit), it is marked here, for the panel to keep the draft and offer to sign in.
import type { NitroFetchOptions, NitroFetchRequest } from 'nitropack';

type ApiOptions = NitroFetchOptions<NitroFetchRequest>;

export function useSessionEnd() {
  const { $api } = useNuxtApp();
  const route = useRoute();
  /** True once a call got 401; it stays so until the page is left for the sign-in. */
  const ended = useState('operator-session-ended', () => false);

  /** `$api` for `url`, except on 401 (see above): its own handler replaces `$api`'s. */
  function api<T>(url: string, options: ApiOptions = {}): Promise<T> {
    return $api<T>(url, {
      ...options,
      onResponseError: ({ response }) => {
        if (response.status === 401) ended.value = true;
      },
    }) as Promise<T>;
  }

  /** Starts the sign-in; it comes back to this page (`returnTo`, this route by default). */
  function signIn(returnTo = route.fullPath) {
    const path = safeReturnPath(returnTo, window.location.origin);
    window.location.assign(path === '/' ? '/auth/oidc' : `/auth/oidc?redirect=${encodeURIComponent(path)}`);
  }

  return { ended: readonly(ended), api, signIn };
}

/** True for the failure of a call made after the session ended (401): the panel already says so. */
export function isSessionEnded(error: unknown): boolean {
  return apiErrorStatus(error) === 401;
}

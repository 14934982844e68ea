/**
 * Signs out: `POST /auth/logout` ends the session on the server, then the browser goes where it
 * answers (the identity provider's sign-out, which comes back to /login). A POST, not a link, so
 * that no other site can sign the user out.
 */
export function useSignOut() {
  const signingOut = ref(false);
  async function signOut() {
    if (signingOut.value) return;
    signingOut.value = true;
    try {
      const { redirect } = await $fetch<{ redirect: string }>('/auth/logout', { method: 'POST' });
      await navigateTo(redirect, { external: true });
    } catch {
      signingOut.value = false;
      useToast().add({ title: 'Signing out failed', description: 'Try again in a moment.', color: 'error', icon: 'i-lucide-circle-alert' });
    }
  }
  return { signOut, signingOut };
}

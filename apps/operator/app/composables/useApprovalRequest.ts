// Asking for approval of a protected flag's change: POST /api/flags/:key/change-requests with the
// draft, under the ETag of the flag it was made on, and a toast that says where the request went.
import type { ChangeRequest, ChangeRequestDraft, Flag } from '@dezky/contracts';

export function useApprovalRequest() {
  const { api } = useSessionEnd();
  const toast = useToast();
  const requesting = ref(false);

  /** Opens the request; undefined when it was refused (shown in a toast, or by the panel when the session ended). */
  async function requestApproval(flag: Pick<Flag, 'key' | 'etag'>, body: ChangeRequestDraft | { revertTo: number }, what: string): Promise<ChangeRequest | undefined> {
    if (requesting.value) return undefined;
    requesting.value = true;
    try {
      const request = await api<ChangeRequest>(`/api/flags/${encodeURIComponent(flag.key)}/change-requests`, { method: 'POST', body, headers: { 'if-match': flag.etag } });
      toast.add({
        title: 'Approval requested',
        description: `${what} on ${flag.key} waits for another platform administrator.`,
        color: 'info',
        icon: 'i-lucide-git-pull-request-arrow',
        actions: [{ label: 'View request', icon: 'i-lucide-arrow-right', color: 'neutral', variant: 'outline', to: `/requests?id=${request.id}` }],
      });
      refreshNuxtData(['change-requests', `change-requests-${flag.key}`]);
      return request;
    } catch (error) {
      if (!isSessionEnded(error)) {
        const stale = apiErrorStatus(error) === 412;
        toast.add({
          title: 'Approval not requested',
          description: stale ? 'Someone changed the flag since you opened it. Reload it and make your change again.' : apiErrorMessage(error, 'The change request could not be opened.'),
          color: 'error',
          icon: 'i-lucide-circle-alert',
        });
      }
      return undefined;
    } finally {
      requesting.value = false;
    }
  }

  return { requestApproval, requesting };
}

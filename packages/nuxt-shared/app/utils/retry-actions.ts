// The Retry of a toast that reports a failed request, offered only when sending the same request
// again may well succeed (no answer, a timeout, too many requests, a server failure).
import type { ToastProps } from '@nuxt/ui';

export function retryActions(error: unknown, retry: () => unknown): ToastProps['actions'] {
  if (!isRetryable(error)) return undefined;
  return [{ label: 'Retry', icon: 'i-lucide-refresh-cw', color: 'neutral', variant: 'outline', onClick: () => void retry() }];
}

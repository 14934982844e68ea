let ticking = false;

/**
 * The current time for relative dates: the server's during hydration (no mismatch), then the
 * browser's, refreshed every 30 seconds.
 */
export function useNow(): Ref<number> {
  const now = useState('operator-now', () => Date.now());
  onMounted(() => {
    now.value = Date.now();
    if (ticking) return;
    ticking = true;
    setInterval(() => {
      now.value = Date.now();
    }, 30_000);
  });
  return now;
}

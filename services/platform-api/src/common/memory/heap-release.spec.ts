import { HeapRelease, MIN_RELEASE_INTERVAL_MS, RELEASE_DELAY_MS } from './heap-release';

describe('HeapRelease', () => {
  let day = 0;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // A day apart: the process-wide interval since an earlier test's release has passed.
    vi.setSystemTime(new Date(2030, 0, 1 + day++));
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Lets the release's collection (a V8 task, not a timer) finish. */
  const settle = async (release: HeapRelease, count: number) => {
    for (let i = 0; i < 200 && release.released < count; i++) await new Promise((r) => setImmediate(r));
  };

  it('runs one release a second after a burst of requests, with V8 collecting for real', async () => {
    const release = new HeapRelease({ heapRelease: true });
    release.request();
    release.request();
    release.request();
    await vi.advanceTimersByTimeAsync(RELEASE_DELAY_MS - 1);
    expect(release.released).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(release, 1);
    expect(release.released).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(release.released).toBe(1);
    release.onModuleDestroy();
  });

  it(`leaves at least ${MIN_RELEASE_INTERVAL_MS / 1000} s between two releases in a process, whichever instance asks`, async () => {
    const first = new HeapRelease({ heapRelease: true });
    first.request();
    await vi.advanceTimersByTimeAsync(RELEASE_DELAY_MS);
    await settle(first, 1);
    expect(first.released).toBe(1);
    const second = new HeapRelease({ heapRelease: true });
    second.request();
    await vi.advanceTimersByTimeAsync(MIN_RELEASE_INTERVAL_MS - 1);
    expect(second.released).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(second, 1);
    expect(second.released).toBe(1);
    first.onModuleDestroy();
    second.onModuleDestroy();
  });

  it('runs nothing once the module is destroyed', async () => {
    const release = new HeapRelease({ heapRelease: true });
    release.request();
    release.onModuleDestroy();
    await vi.advanceTimersByTimeAsync(5000);
    expect(release.released).toBe(0);
  });

  it('runs nothing when HEAP_RELEASE is off', async () => {
    const release = new HeapRelease({ heapRelease: false });
    release.request();
    await vi.advanceTimersByTimeAsync(5000);
    expect(release.released).toBe(0);
  });
});

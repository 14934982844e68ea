import { HeapRelease, MIN_RELEASE_INTERVAL_MS } from './heap-release';

describe('HeapRelease', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Lets the release's collection (a V8 task, not a timer) finish. */
  const settle = async (release: HeapRelease, count: number) => {
    for (let i = 0; i < 200 && release.released < count; i++) await new Promise((r) => setImmediate(r));
  };

  it('runs one release a second after a burst of requests, with V8 collecting for real', async () => {
    const release = new HeapRelease();
    release.request();
    release.request();
    release.request();
    await vi.advanceTimersByTimeAsync(999);
    expect(release.released).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(release, 1);
    expect(release.released).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(release.released).toBe(1);
    release.onModuleDestroy();
  });

  it(`leaves at least ${MIN_RELEASE_INTERVAL_MS / 1000} s between two releases`, async () => {
    const release = new HeapRelease();
    release.request();
    await vi.advanceTimersByTimeAsync(1000);
    await settle(release, 1);
    expect(release.released).toBe(1);
    release.request();
    await vi.advanceTimersByTimeAsync(MIN_RELEASE_INTERVAL_MS - 1);
    expect(release.released).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle(release, 2);
    expect(release.released).toBe(2);
    release.onModuleDestroy();
  });

  it('runs nothing once the module is destroyed', async () => {
    const release = new HeapRelease();
    release.request();
    release.onModuleDestroy();
    await vi.advanceTimersByTimeAsync(5000);
    expect(release.released).toBe(0);
  });
});

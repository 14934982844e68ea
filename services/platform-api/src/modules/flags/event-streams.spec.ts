import type { AppConfig } from '../../config/app-config';
import { EventStreamHub } from './event-streams';
import { tenantEtag, type FlagsSnapshot, type Snapshot, type SnapshotChange } from './flags-snapshot';

const ctx = (id: string) => ({ tenantId: id, tenantSlug: `t-${id}`, plan: 'starter', partnerSlug: null, environment: 'test' });

function harness() {
  let listener: ((c: SnapshotChange) => void) | undefined;
  const snap = { etag: '"v1"', tenantsById: new Map([['a', ctx('a')], ['b', ctx('b')]]) } as unknown as Snapshot;
  const snapshot = {
    onChange: (l: (c: SnapshotChange) => void) => {
      listener = l;
      return () => undefined;
    },
    get: async () => snap,
  } as unknown as FlagsSnapshot;
  const hub = new EventStreamHub(snapshot, { eventStreamSecret: 'x'.repeat(32) } as AppConfig);
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, events: () => chunks.filter((c) => c.includes('refetchEvaluation')), write: (c: string) => chunks.push(c), end: () => undefined };
  };
  return { hub, snap, sink, change: (c: SnapshotChange) => listener!(c) };
}

describe('EventStreamHub', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst of changes into one refetchEvaluation per stream, with the tenant ETag', async () => {
    const h = harness();
    const a = h.sink();
    const b = h.sink();
    h.hub.open('a', a);
    h.hub.open('b', b);
    for (let i = 0; i < 5; i++) h.change({ flags: true, tenantIds: [] });
    await vi.advanceTimersByTimeAsync(100);
    expect(a.events()).toHaveLength(1);
    expect(b.events()).toHaveLength(1);
    const data = JSON.parse(/data: (.*)\n/.exec(a.events()[0]!)![1]!) as { type: string; etag: string; lastModified: number };
    expect(data).toEqual({ type: 'refetchEvaluation', etag: tenantEtag(h.snap, ctx('a')), lastModified: expect.any(Number) });
    expect(a.events()[0]).toMatch(/^id: \d+\nevent: message\ndata: /);
    h.hub.onModuleDestroy();
  });

  it("tells only the changed tenant's streams of a tenant change, and none once closed", async () => {
    const h = harness();
    const a = h.sink();
    const b = h.sink();
    h.hub.open('a', a);
    const closeB = h.hub.open('b', b);
    h.change({ flags: false, tenantIds: ['b'] });
    await vi.advanceTimersByTimeAsync(100);
    expect(a.events()).toHaveLength(0);
    expect(b.events()).toHaveLength(1);
    closeB();
    expect(h.hub.size).toBe(1);
    h.change({ flags: false, tenantIds: ['b'] });
    await vi.advanceTimersByTimeAsync(100);
    expect(b.events()).toHaveLength(1);
    h.hub.onModuleDestroy();
  });

  it('signs stream grants that expire, and refuses altered ones', () => {
    const h = harness();
    const now = Date.UTC(2026, 11, 1, 12);
    const uri = h.hub.requestUri({ userId: 'u1', operator: false, tenantId: 'a' }, now);
    expect(h.hub.requestUri({ userId: 'u1', operator: false, tenantId: 'a' }, now + 3600_000)).toBe(uri);
    const credential = uri.split('stream=')[1]!;
    expect(h.hub.verify(credential, now)).toMatchObject({ userId: 'u1', operator: false, tenantId: 'a' });
    expect(h.hub.verify(credential, now + 25 * 3600_000)).toBeUndefined();
    expect(h.hub.verify(`${credential}x`, now)).toBeUndefined();
    expect(h.hub.verify(42, now)).toBeUndefined();
    h.hub.onModuleDestroy();
  });
});

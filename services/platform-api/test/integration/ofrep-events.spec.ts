import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import Ajv2020 from 'ajv/dist/2020';
import { EventSource } from 'eventsource';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { EventStreamHub } from '../../src/modules/flags/event-streams';
import { startSession, type Session } from '../support/session';

/**
 * OFREP 0.3 change notifications (ADR-0008, test/fixtures/ofrep/event-streams.yaml): a bulk
 * evaluation names an event stream; its events tell the client to evaluate again.
 */
function eventDataValidator() {
  const doc = parse(readFileSync(path.join(__dirname, '../fixtures/ofrep/openapi.yaml'), 'utf8')) as { components: Record<string, unknown> };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'ofrep', components: doc.components });
  return {
    data: ajv.compile({ $ref: 'ofrep#/components/schemas/sseEventData' }),
    stream: ajv.compile({ $ref: 'ofrep#/components/schemas/eventStream' }),
  };
}

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A raw event-stream reader over fetch: every event as it arrives. */
async function openStream(url: string): Promise<{ status: number; contentType: string | null; events: SseEvent[]; next(timeoutMs?: number): Promise<SseEvent | undefined>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: Partial<SseEvent> = {};
            for (const line of block.split('\n')) {
              const m = /^(id|event|data): ?(.*)$/.exec(line);
              if (m) (event as Record<string, string>)[m[1]!] = m[2]!;
            }
            if (event.data !== undefined) {
              events.push(event as SseEvent);
              waiters.splice(0).forEach((w) => w());
            }
          }
        }
      } catch {
        // aborted
      }
    })();
  } else {
    await res.body?.cancel();
  }
  let read = 0;
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    async next(timeoutMs = 3000) {
      if (read < events.length) return events[read++];
      await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, timeoutMs))]);
      return read < events.length ? events[read++] : undefined;
    },
    close: () => controller.abort(),
  };
}

describe('OFREP change notifications over server-sent events', () => {
  let s: Session;
  let baseUrl: string;
  const schemas = eventDataValidator();
  const bulk = (caller: Session['alice'], slug: string) => caller.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: slug } });
  const streamUrl = (body: { eventStreams: { endpoint: { requestUri: string } }[] }) => `${baseUrl}${body.eventStreams[0]!.endpoint.requestUri}`;

  beforeAll(async () => {
    s = await startSession();
    await s.t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(s.t.app.getHttpServer().address() as AddressInfo).port}`;
    await s.alice.post('/tenants', { slug: 'sse-co', name: 'SSE Co', plan: 'business' }).expect(201);
    await s.bob.post('/tenants', { slug: 'sse-other', name: 'Other' }).expect(201);
  });
  afterAll(async () => {
    await OpenFeature.close();
    await s.close();
  });

  it('a bulk evaluation names one SSE stream, by a request URI that stays the same for the caller and tenant', async () => {
    const res = await bulk(s.alice, 'sse-co').expect(200);
    expect(res.body.eventStreams).toHaveLength(1);
    const [stream] = res.body.eventStreams;
    expect(schemas.stream(stream), JSON.stringify(schemas.stream.errors)).toBe(true);
    expect(stream).toMatchObject({ type: 'sse', inactivityDelaySec: 120, endpoint: { requestUri: expect.stringMatching(/^\/ofrep\/v1\/events\?stream=/) } });
    expect((await bulk(s.alice, 'sse-co')).body.eventStreams).toEqual(res.body.eventStreams);
    expect((await bulk(s.admin, 'sse-co')).body.eventStreams[0].endpoint.requestUri).not.toBe(stream.endpoint.requestUri);
  });

  it('sends refetchEvaluation with the new ETag on a flag change', async () => {
    const first = await bulk(s.alice, 'sse-co').expect(200);
    const stream = await openStream(streamUrl(first.body));
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      await s.admin.patch('/flags/webmail_dark_mode', { state: 'on' }).expect(200);
      const event = await stream.next();
      expect(event).toBeDefined();
      expect(event!.event).toBe('message');
      expect(event!.id).toMatch(/^\d+$/);
      const data = JSON.parse(event!.data) as { type: string; etag: string; lastModified: number };
      expect(schemas.data(data), JSON.stringify(schemas.data.errors)).toBe(true);
      expect(data.type).toBe('refetchEvaluation');
      const after = await bulk(s.alice, 'sse-co').query({ flagConfigEtag: data.etag }).expect(200);
      expect(after.headers.etag).toBe(data.etag);
      expect(after.body.flags.find((f: { key: string }) => f.key === 'webmail_dark_mode').value).toBe(true);

      // Five changes: at least one event, the last carrying the ETag the tenant now has
      // (coalescing itself is shown in event-streams.spec.ts, where time is controlled).
      const before = stream.events.length;
      for (let i = 0; i < 5; i++) await s.admin.patch('/flags/webmail_dark_mode', { description: `burst ${i}` }).expect(200);
      // Nothing changes after the fifth: the tenant's ETag is final, and the last event must come
      // to carry it (an event of an earlier flush may arrive first; the last one follows within
      // the coalescing window, however long this machine takes to deliver it).
      const current = (await bulk(s.alice, 'sse-co').expect(200)).headers.etag as string;
      const lastEtag = () => (stream.events.length > before ? (JSON.parse(stream.events.at(-1)!.data) as { etag: string }).etag : undefined);
      await expect.poll(lastEtag, { timeout: 3000, interval: 20 }).toBe(current);
      expect(stream.events.length - before).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
  });

  it("tells a tenant's streams, and only them, of its plan change", async () => {
    const mine = await openStream(streamUrl((await bulk(s.alice, 'sse-co')).body));
    const other = await openStream(streamUrl((await bulk(s.bob, 'sse-other')).body));
    try {
      await s.admin.patch('/tenants/sse-co', { plan: 'enterprise' }).expect(200);
      const event = await mine.next();
      expect(JSON.parse(event!.data).type).toBe('refetchEvaluation');
      expect(await other.next(400)).toBeUndefined();
    } finally {
      mine.close();
      other.close();
    }
  });

  it('refuses a forged, altered or missing stream grant with 401, and closes streams of a stopped process', async () => {
    const uri = (await bulk(s.alice, 'sse-co')).body.eventStreams[0].endpoint.requestUri as string;
    const [payload, signature] = uri.split('stream=')[1]!.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), t: 'f'.repeat(24) })).toString('base64url');
    for (const bad of [`${forgedPayload}.${signature}`, `${payload}.${'A'.repeat(43)}`, 'nonsense', '']) {
      const res = await fetch(`${baseUrl}/ofrep/v1/events?stream=${bad}`);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { message: string };
      expect(body.message).toMatch(/invalid or has expired/);
    }
    expect((await fetch(`${baseUrl}/ofrep/v1/events`)).status).toBe(401);
    const hub = s.t.app.get(EventStreamHub);
    const expired = hub.verify(uri.split('stream=')[1], Date.now() + 3 * 24 * 3600_000);
    expect(expired).toBeUndefined();
  });

  it('the OpenFeature web SDK with the OFREP web provider (changeDetection sse) receives a change without polling', async () => {
    const hub = s.t.app.get(EventStreamHub);
    // The earlier tests' streams are closed by their clients; the hub hears of it a moment later.
    // Until it has, an open stream there could be taken for the SDK's (and the change below would
    // notify it).
    await expect.poll(() => hub.size, { timeout: 5000, interval: 20 }).toBe(0);
    const token = (await s.id.token('portal', 'alice@customer.test')) as string;
    await s.admin.patch('/flags/gdpr_export_v2', { state: 'off' }).expect(200);
    const previous = (globalThis as { EventSource?: unknown }).EventSource;
    (globalThis as { EventSource?: unknown }).EventSource = EventSource;
    try {
      await OpenFeature.setContext({ targetingKey: 'sse-co' });
      await OpenFeature.setProviderAndWait(
        new OFREPWebProvider({ baseUrl, headers: [['Authorization', `Bearer ${token}`]], changeDetection: 'sse', pollInterval: 0 }),
      );
      const client = OpenFeature.getClient();
      expect(client.getBooleanValue('gdpr_export_v2', true)).toBe(false);
      // The SDK's stream is open before the change is made.
      await expect.poll(() => hub.size, { timeout: 5000, interval: 20 }).toBeGreaterThan(0);

      const changed = new Promise<void>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, () => resolve()));
      await s.admin.patch('/flags/gdpr_export_v2', { state: 'on' }).expect(200);
      await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('no ConfigurationChanged within 5 s')), 5000))]);
      expect(client.getBooleanValue('gdpr_export_v2', false)).toBe(true);
    } finally {
      await OpenFeature.clearProviders();
      (globalThis as { EventSource?: unknown }).EventSource = previous;
    }
  });
});

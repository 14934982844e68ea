// The platform API client (server/utils/platform-api.ts) sends the app request's id to the API as
// X-Request-Id and logs a failed call as one JSON line under that id: an h3 app calling a real
// HTTP server that stands for the API, over the network.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createRouter, eventHandler, getRequestHeader, setResponseHeader, toNodeListener, type H3Event } from 'h3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import './support/auto-imports';
import { platformApi } from '../server/utils/platform-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the API received, request by request. */
let received: { path: string; headers: IncomingHttpHeaders }[] = [];
let api: Server;
let app: Server;
let appUrl: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  api = createServer((req, res) => {
    received.push({ path: req.url ?? '', headers: req.headers });
    const failing = req.url === '/boom';
    res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(failing ? { statusCode: 500 } : { ok: true }));
  });
  const apiUrl = await listen(api);
  Object.assign(globalThis, {
    useRuntimeConfig: () => ({ platformApiUrl: apiUrl }),
    // A signed-in session whose token is good for an hour (nuxt-auth-utils needs the Nuxt runtime).
    requireUserSession: async () => ({ user: { id: 'u1' }, secure: { accessToken: 'access-token', expiresAt: Date.now() + 3_600_000 } }),
    clearUserSession: async () => undefined,
    getRequestHeader,
    setResponseHeader,
  });
  const router = createRouter()
    .get(
      '/twice',
      eventHandler(async (event: H3Event) => {
        await platformApi(event, '/me');
        await platformApi(event, '/tenants', { query: { q: 'x' } });
        return { requestId: event.context.requestId };
      }),
    )
    .get('/boom', eventHandler((event: H3Event) => platformApi(event, '/boom')));
  app = createServer(toNodeListener(createApp().use(router)));
  appUrl = await listen(app);
});
afterAll(async () => {
  await new Promise((r) => app?.close(r));
  await new Promise((r) => api?.close(r));
});
beforeEach(() => {
  received = [];
});

describe('platformApi', () => {
  it("sends the incoming request's X-Request-Id with every API call made for it", async () => {
    const res = await fetch(`${appUrl}/twice`, { headers: { 'x-request-id': 'click-42.op:ui_x' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requestId: 'click-42.op:ui_x' });
    expect(received.map((r) => [r.path, r.headers['x-request-id']])).toEqual([
      ['/me', 'click-42.op:ui_x'],
      ['/tenants?q=x', 'click-42.op:ui_x'],
    ]);
    expect(received[0]!.headers.authorization).toBe('Bearer access-token');
  });

  it('gives a request without a usable id a fresh UUID, the same for all its calls and kept on event.context', async () => {
    const first = (await (await fetch(`${appUrl}/twice`)).json()) as { requestId: string };
    const second = (await (await fetch(`${appUrl}/twice`, { headers: { 'x-request-id': 'has spaces and "quotes"' } })).json()) as { requestId: string };
    expect(first.requestId).toMatch(UUID);
    expect(second.requestId).toMatch(UUID);
    expect(second.requestId).not.toBe(first.requestId);
    expect(received.map((r) => r.headers['x-request-id'])).toEqual([first.requestId, first.requestId, second.requestId, second.requestId]);
  });

  it('logs a failed call as one JSON line with the request id the API got', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await fetch(`${appUrl}/boom`, { headers: { 'x-request-id': 'click-43' } });
      expect(res.status).toBe(502);
      expect(received.map((r) => r.headers['x-request-id'])).toEqual(['click-43']);
      expect(errors).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(errors.mock.calls[0]![0])) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'error', msg: 'platform API call failed', requestId: 'click-43', method: 'GET', path: '/boom', status: 500 });
      expect(Date.parse(String(line.time))).not.toBeNaN();
    } finally {
      errors.mockRestore();
    }
  });
});

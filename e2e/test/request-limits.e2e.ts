// The apps' API routes check the session before anything else, and no request body above the
// limit (100 KiB, NUXT_BODY_LIMIT) is read: a visitor who is not signed in cannot make a route
// read a body or describe its input, and a signed-in one cannot make the server hold megabytes.
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedBrowser, stack, USERS } from '../src/browser.js';
import { appUrl, send, sendUntilAnswered, sharedSession, type AppName } from '../src/http.js';
import { ROOT } from '../src/paths.js';
import { operatorToken, uniqueSuffix } from './operator-tenants.api.js';

const LIMIT = 100 * 1024;
const SIXTY_MB = 60 * 1024 * 1024;

/** Every API route of an app (its own and the shared layer's) as `METHOD /api/path`, parameters filled in. */
function apiRoutes(app: AppName): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const base of [`apps/${app}/server/api`, 'packages/nuxt-shared/server/api']) {
    const dir = path.join(ROOT, base);
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const match = /^(.*)\.(get|post|patch|put|delete)\.ts$/.exec(file.split(path.sep).join('/'));
      // `-name.ts` files are shared code, not routes.
      if (!match || file.split(path.sep).some((part) => part.startsWith('-'))) continue;
      const [, route = '', method = ''] = match;
      const urlPath = route.replace(/(^|\/)index$/, '').replace(/\[[^\]]+\]/g, 'some-thing');
      routes.push({ method: method.toUpperCase(), path: `/api/${urlPath}`.replace(/\/$/, '') });
    }
  }
  return routes;
}

describe('API routes of the apps: the session first, bounded bodies', () => {
  const browser = sharedBrowser();
  const operator = sharedSession(browser, 'operator', USERS.admin);
  const portal = sharedSession(browser, 'portal', USERS.admin);

  for (const app of ['operator', 'portal'] as const) {
    it(`${app}: every API route but /api/health answers 401 to a visitor who is not signed in, whatever the input`, async () => {
      const routes = apiRoutes(app);
      expect(routes.length).toBeGreaterThan(app === 'operator' ? 20 : 5);
      const answers: string[] = [];
      for (const { method, path: routePath } of routes) {
        const body = method === 'GET' ? undefined : JSON.stringify({ unexpected: 'x'.repeat(100) });
        const res = await send(`${appUrl(app)}${routePath}`, {
          method,
          headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json', origin: appUrl(app) } : {}) },
          body,
        });
        answers.push(`${method} ${routePath} ${res.status}`);
        if (routePath !== '/api/health') expect(res.json, `${method} ${routePath}`).toMatchObject({ message: 'Sign in first.' });
      }
      expect(answers).toEqual(routes.map(({ method, path: p }) => `${method} ${p} ${p === '/api/health' ? 200 : 401}`));
    });
  }

  it('operator: an anonymous 60 MB POST /api/partners is answered 401 before its body is sent', async () => {
    const answer = await sendUntilAnswered(`${stack.operatorUrl}/api/partners`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      declaredLength: SIXTY_MB,
      // Never the whole body: a server that reads it first never answers.
      maxBytes: SIXTY_MB - 64 * 1024,
    });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ message: 'Sign in first.' });
    expect(answer.sentBytes).toBeLessThan(SIXTY_MB);

    // A PATCH without its If-Match: the missing session is what it hears about, not the header.
    const patch = await send(`${stack.operatorUrl}/api/flags/jmap_native_v2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'off' }),
    });
    expect(patch.status).toBe(401);
  });

  for (const app of ['operator', 'portal'] as const) {
    it(`${app}: signed in, a body above 100 KiB is answered 413 without being read, declared or chunked`, async () => {
      const session = app === 'operator' ? operator : portal;
      const target = app === 'operator' ? '/api/partners' : '/api/tenants';
      const headers = { cookie: session.cookie, origin: appUrl(app), 'content-type': 'application/json' };

      const declared = await sendUntilAnswered(`${appUrl(app)}${target}`, { method: 'POST', headers, declaredLength: SIXTY_MB, maxBytes: SIXTY_MB - 64 * 1024 });
      expect(declared.status).toBe(413);
      expect(declared.json).toMatchObject({ message: `The request body must be at most ${LIMIT} bytes.` });

      // Chunked: no length to check up front; the server stops reading at the limit.
      const chunked = await sendUntilAnswered(`${appUrl(app)}${target}`, { method: 'POST', headers, maxBytes: 8 * 1024 * 1024 });
      expect(chunked.status).toBe(413);

      // PATCH too (nuxt-security's own limiter looks at POST, PUT and DELETE only).
      const patch = await send(`${appUrl(app)}/api/tenants/some-tenant`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'x'.repeat(LIMIT) }) });
      expect(patch.status).toBe(413);

      // The session still works, and a body within the limit reaches the route (its validation).
      const small = await send(`${appUrl(app)}${target}`, { method: 'POST', headers, body: JSON.stringify({ slug: 'Not A Slug', name: 'x'.repeat(LIMIT - 100) }) });
      expect(small.status).toBe(400);
    });
  }

  it('operator: a chunked body within the limit is read and handed to the route', async () => {
    const slug = `chunked-${uniqueSuffix()}`;
    const body = JSON.stringify({ slug, name: 'Chunked Partner', domain: `${slug}.example.com`, marginPct: 20 });
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${stack.operatorUrl}/api/partners`,
        { method: 'POST', headers: { cookie: operator.cookie, origin: stack.operatorUrl, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (r) => {
          r.resume();
          r.on('end', () => resolve(r.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      // Two chunks, so the body really arrives in pieces.
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    });
    expect(res).toBe(201);
    const partner = await fetch(`${stack.apiUrl}/partners/${slug}`, { headers: { authorization: `Bearer ${await operatorToken()}` } });
    expect(partner.status).toBe(200);
  });
});

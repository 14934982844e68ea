// Cross-site request forgery: a request that changes something is accepted only from the app's own
// pages, with a JSON body. The session cookie is SameSite=Lax, which other ports of the same host
// (and sibling subdomains in production) still receive: the apps refuse their requests themselves.
import { describe, expect, it } from 'vitest';
import { freePort } from '@dezky/test-stack';
import { sharedBrowser, stack, USERS } from '../src/browser.js';
import { appUrl, send, sharedSession } from '../src/http.js';
import { api, customerToken, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

const FOREIGN = 'https://evil.example';
const FORM = 'application/x-www-form-urlencoded';

/** What the API holds at `path` (operator token), or the status it answers instead. */
async function apiState<T>(path: string): Promise<T | number> {
  const res = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${await operatorToken()}`, accept: 'application/json' } });
  return res.ok ? ((await res.json()) as T) : res.status;
}

describe('requests that change something come only from the app itself', () => {
  const browser = sharedBrowser();
  const operator = sharedSession(browser, 'operator', USERS.admin);
  // admin@dezky.test as a customer: the portal tests count on alice and bob owning no tenant.
  const portal = sharedSession(browser, 'portal', USERS.admin);

  it('operator: POST /api/flags from another site, another port of the host or as a form creates nothing', async () => {
    const key = `csrf_${uniqueSuffix()}`;
    const url = `${stack.operatorUrl}/api/flags`;
    const form = `key=${key}&description=forged`;
    const json = JSON.stringify({ key, description: 'forged' });

    const foreign = await send(url, { method: 'POST', headers: { cookie: operator.cookie, origin: FOREIGN, 'content-type': FORM }, body: form });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ message: expect.stringContaining('Origin') });

    // The portal is same-site with the operator app (one host, another port): still another origin.
    const sibling = await send(url, { method: 'POST', headers: { cookie: operator.cookie, origin: stack.portalUrl, 'content-type': 'application/json' }, body: json });
    expect(sibling.status).toBe(403);

    for (const site of ['cross-site', 'same-site', 'none']) {
      const fetched = await send(url, { method: 'POST', headers: { cookie: operator.cookie, 'sec-fetch-site': site, 'content-type': 'application/json' }, body: json });
      expect({ site, status: fetched.status }).toEqual({ site, status: 403 });
    }

    // From the app's own origin, but not JSON: 415, whatever the body looks like.
    for (const type of [FORM, 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
      const sameOrigin = await send(url, { method: 'POST', headers: { cookie: operator.cookie, origin: stack.operatorUrl, 'content-type': type }, body: type === FORM ? form : json });
      expect({ type, status: sameOrigin.status }).toEqual({ type, status: 415 });
    }
    const untyped = await send(url, { method: 'POST', headers: { cookie: operator.cookie, origin: stack.operatorUrl }, body: json });
    expect(untyped.status).toBe(415);

    expect(await apiState(`/flags/${key}`)).toBe(404);

    // The app's own pages get through (here to the route's own validation: the description is empty).
    const own = await send(url, {
      method: 'POST',
      headers: { cookie: operator.cookie, origin: stack.operatorUrl, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ key, description: ' ' }),
    });
    expect(own.status).toBe(400);
    expect(own.json).toMatchObject({ message: expect.stringContaining('description') });
    expect(await apiState(`/flags/${key}`)).toBe(404);
  });

  it('operator: suspending a tenant or editing a flag from another site changes nothing', async () => {
    const slug = `csrf-${uniqueSuffix()}`;
    await api(await customerToken(), 'POST', '/tenants', { slug, name: 'Forgery Target', plan: 'starter' });

    const suspend = `${stack.operatorUrl}/api/tenants/${slug}/suspend`;
    const forged = await send(suspend, { method: 'POST', headers: { cookie: operator.cookie, origin: FOREIGN, 'content-type': FORM }, body: '' });
    expect(forged.status).toBe(403);
    const bare = await send(suspend, { method: 'POST', headers: { cookie: operator.cookie, 'sec-fetch-site': 'cross-site' } });
    expect(bare.status).toBe(403);
    expect(await apiState(`/tenants/${slug}`)).toMatchObject({ status: 'active' });

    const flag = (await apiState<{ version: number; description: string }>('/flags/jmap_native_v2')) as { version: number; description: string };
    const patched = await send(`${stack.operatorUrl}/api/flags/jmap_native_v2`, {
      method: 'PATCH',
      headers: { cookie: operator.cookie, origin: FOREIGN, 'content-type': 'application/json', 'if-match': `"${flag.version}"` },
      body: JSON.stringify({ state: 'off', pct: 0 }),
    });
    expect(patched.status).toBe(403);
    expect(await apiState('/flags/jmap_native_v2')).toMatchObject({ version: flag.version });

    // The same session, from the app's own page, does suspend it (no body: nothing to type).
    const own = await send(suspend, { method: 'POST', headers: { cookie: operator.cookie, origin: stack.operatorUrl, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
    expect(await apiState(`/tenants/${slug}`)).toMatchObject({ status: 'suspended' });
  });

  it('portal: POST /api/tenants from another site or as a form creates no tenant', async () => {
    const slug = `csrf-${uniqueSuffix()}`;
    const url = `${stack.portalUrl}/api/tenants`;
    const json = JSON.stringify({ slug, name: 'Forged Tenant' });

    const foreign = await send(url, { method: 'POST', headers: { cookie: portal.cookie, origin: FOREIGN, 'content-type': FORM }, body: `slug=${slug}&name=Forged` });
    expect(foreign.status).toBe(403);
    const sibling = await send(url, { method: 'POST', headers: { cookie: portal.cookie, origin: stack.operatorUrl, 'content-type': 'application/json' }, body: json });
    expect(sibling.status).toBe(403);
    const nullOrigin = await send(url, { method: 'POST', headers: { cookie: portal.cookie, origin: 'null', 'content-type': 'application/json' }, body: json });
    expect(nullOrigin.status).toBe(403);
    const form = await send(url, { method: 'POST', headers: { cookie: portal.cookie, origin: stack.portalUrl, 'content-type': FORM }, body: `slug=${slug}&name=Forged` });
    expect(form.status).toBe(415);
    expect(await apiState(`/tenants/${slug}`)).toBe(404);

    const own = await send(url, { method: 'POST', headers: { cookie: portal.cookie, origin: stack.portalUrl, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body: json });
    expect(own.status).toBe(201);
    expect(await apiState(`/tenants/${slug}`)).toMatchObject({ slug });
  });

  it('operator: a form on another port of the same host, posted by the signed-in browser, is refused', async () => {
    // A page of http://127.0.0.1:<another port>: same site as the app, so Lax cookies go along.
    const attacker = `http://127.0.0.1:${await freePort()}`;
    const key = `csrf_${uniqueSuffix()}`;
    const page = await operator.context.newPage();
    try {
      await page.route(`${attacker}/**`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: `<form method="post" action="${stack.operatorUrl}/api/flags"><input name="key" value="${key}"><input name="description" value="forged"></form>
            <script>document.forms[0].submit()</script>`,
        }),
      );
      const answered = page.waitForResponse((res) => res.url() === `${stack.operatorUrl}/api/flags`);
      await page.goto(`${attacker}/prize`);
      const response = await answered;
      expect(response.request().method()).toBe('POST');
      // The browser did send the session along: only the app's own check stops it.
      expect((await response.request().allHeaders()).cookie).toContain('nuxt-session-operator=');
      expect(response.status()).toBe(403);
      expect(await apiState(`/flags/${key}`)).toBe(404);
    } finally {
      await page.close();
    }
  });

  it('sign-out and the session route refuse other sites too', async () => {
    for (const [app, session] of [['operator', operator], ['portal', portal]] as const) {
      const logout = await send(`${appUrl(app)}/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, origin: FOREIGN } });
      expect(logout.status).toBe(403);
      const clear = await send(`${appUrl(app)}/api/_auth/session`, { method: 'DELETE', headers: { cookie: session.cookie, 'sec-fetch-site': 'cross-site' } });
      expect(clear.status).toBe(403);
      const me = await send(`${appUrl(app)}/api/me`, { headers: { cookie: session.cookie } });
      expect(me.status).toBe(200);
    }
  });
});

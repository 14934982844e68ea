// The apps' pages carry nuxt-security's headers: a Content-Security-Policy whose scripts need the
// response's own nonce and that no site may frame, HSTS (production builds), nosniff and a
// referrer policy, and no `X-Powered-By`. Signed-in answers are never cached. The pages run under
// that policy without a single violation (openPage reports every one as a problem).
import { describe, expect, it } from 'vitest';
import { freePort } from '@dezky/test-stack';
import { expectNoProblems, openPage, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { appUrl, send, signedIn, type AppName } from '../src/http.js';

/** The policy's directives: `{ 'script-src': ["'self'", ...], ... }`. */
function directives(policy: string | string[] | undefined): Record<string, string[]> {
  const text = Array.isArray(policy) ? policy.join(';') : (policy ?? '');
  return Object.fromEntries(
    text
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

const PAGES: Record<AppName, string[]> = {
  operator: ['/', '/flags', '/partners', '/tenants', '/audit'],
  portal: ['/', '/tenants/new'],
};

describe('security headers of the apps', () => {
  const browser = sharedBrowser();

  for (const app of ['operator', 'portal'] as const) {
    it(`${app}: a page has a CSP with a fresh nonce on each of its scripts, cannot be framed, and carries HSTS, nosniff and a referrer policy`, async () => {
      const first = await send(`${appUrl(app)}/login`, { headers: { accept: 'text/html' } });
      const second = await send(`${appUrl(app)}/login`, { headers: { accept: 'text/html' } });
      expect(first.status).toBe(200);

      const csp = directives(first.headers['content-security-policy']);
      const nonce = csp['script-src']?.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce).toMatch(/^[\w+/=-]{16,}$/);
      expect(csp['script-src']).toEqual(expect.arrayContaining(["'strict-dynamic'"]));
      expect(csp['script-src']).not.toContain("'unsafe-inline'");
      expect(csp['script-src']).not.toContain("'unsafe-eval'");
      expect(csp['script-src-attr']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['default-src']).toEqual(["'self'"]);

      // Every script of the page carries this response's nonce; the next response has another.
      const scripts = [...first.text.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      expect(scripts.length).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      const nextNonce = directives(second.headers['content-security-policy'])['script-src']?.find((s) => s.startsWith("'nonce-"));
      expect(nextNonce).toBeDefined();
      expect(nextNonce).not.toBe(`'nonce-${nonce}'`);

      expect(first.headers['x-frame-options']).toBe('DENY');
      expect(first.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
      expect(first.headers['x-content-type-options']).toBe('nosniff');
      expect(first.headers['referrer-policy']).toBe('same-origin');
      expect(first.headers['x-powered-by']).toBeUndefined();
    });

    it(`${app}: answers to a signed-in user are Cache-Control: no-store`, async () => {
      const session = await signedIn(browser, app, USERS.admin);
      try {
        for (const page of PAGES[app]) {
          const res = await send(`${appUrl(app)}${page}`, { headers: { cookie: session.cookie, accept: 'text/html' } });
          expect({ page, status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({ page, status: 200, cacheControl: 'no-store' });
        }
        const me = await send(`${appUrl(app)}/api/me`, { headers: { cookie: session.cookie } });
        expect(me.headers['cache-control']).toBe('no-store');
      } finally {
        await session.context.close();
      }
    });

    it(`${app}: the signed-in pages run under the policy without a violation; one is caught when it happens`, async () => {
      const { context, page, problems } = await openSignedInPage(browser, appUrl(app), USERS.admin);
      try {
        for (const path of PAGES[app]) {
          await page.goto(`${appUrl(app)}${path}`);
          await page.waitForLoadState('networkidle');
        }
        // Client-side navigation too: scripts loaded after the first page.
        await page.goto(`${appUrl(app)}/`);
        await page.waitForLoadState('networkidle');
        expectNoProblems(problems);

        // An inline handler, as injected markup would carry: refused, and reported.
        await page.evaluate(() => {
          const button = document.createElement('button');
          button.setAttribute('onclick', 'document.title = "injected"');
          document.body.append(button);
          button.click();
        });
        await expect.poll(() => problems.join('\n')).toMatch(/^CSP violation: script-src-attr blocked inline/m);
        expect(await page.title()).not.toBe('injected');
      } finally {
        await context.close();
      }
    });
  }

  it('no other site can frame the apps', async () => {
    const framer = `http://127.0.0.1:${await freePort()}`;
    const { context, page } = await openPage(browser);
    try {
      await page.route(`${framer}/**`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: `<iframe id="operator" src="${stack.operatorUrl}/login"></iframe><iframe id="portal" src="${stack.portalUrl}/login"></iframe>`,
        }),
      );
      const requested = Promise.all([stack.operatorUrl, stack.portalUrl].map((url) => page.waitForRequest(`${url}/login`)));
      await page.goto(`${framer}/`);
      // The frames did ask the apps...
      await requested;
      await page.waitForLoadState('load');
      // ...and Chromium shows its own error page in them, not the apps' sign-in pages.
      for (const [id, url] of [['operator', stack.operatorUrl], ['portal', stack.portalUrl]] as const) {
        const frame = await (await page.$(`#${id}`))?.contentFrame();
        expect(frame, id).toBeTruthy();
        await expect.poll(() => frame!.url()).toBe('chrome-error://chromewebdata/');
        expect({ id, cards: await frame!.locator('[data-testid="login-card"]').count() }).toEqual({ id, cards: 0 });
        expect(frame!.url()).not.toContain(url);
      }
    } finally {
      await context.close();
    }
  });
});

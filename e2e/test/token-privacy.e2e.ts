// The IdP's tokens stay on the apps' servers: the browser holds only the sealed session cookie.
import type { Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openAndSignIn, openPage, sessionCookie, sharedBrowser, stack, USERS } from '../src/browser.js';

/** A JSON Web Token (header.payload.signature, both JSON parts starting with `{"`). */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/;

describe('tokens never reach the browser', () => {
  const browser = sharedBrowser();

  for (const app of ['operator', 'portal'] as const) {
    it(`${app}: no response, cookie, storage or page content carries a token`, async () => {
      const appUrl = app === 'operator' ? stack.operatorUrl : stack.portalUrl;
      const { context, page } = await openPage(browser);
      const bodies: Promise<{ url: string; text: string }>[] = [];
      const bearerRequests: string[] = [];
      page.on('request', (req) => {
        if (/bearer/i.test(req.headers().authorization ?? '')) bearerRequests.push(req.url());
      });
      page.on('response', (res: Response) => {
        bodies.push(res.text().then((text) => ({ url: res.url(), text }), () => ({ url: res.url(), text: '' })));
      });
      try {
        await openAndSignIn(page, appUrl, app === 'operator' ? USERS.admin : USERS.alice);
        await page.reload();
        await page.waitForLoadState('networkidle');

        // Every body the browser received during sign-in and use: IdP pages, app HTML, payloads, API JSON.
        const received = await Promise.all(bodies);
        expect(received.length).toBeGreaterThan(5);
        expect(received.filter((body) => JWT.test(body.text)).map((body) => body.url)).toEqual([]);
        expect(bearerRequests).toEqual([]);

        // The session cookie is nuxt-auth-utils' sealed (iron) one, HTTP-only: scripts cannot read it.
        const cookie = await sessionCookie(context, app);
        expect(cookie?.value).toMatch(/^Fe26\.2\*/);
        expect(cookie?.httpOnly).toBe(true);
        expect(cookie?.sameSite).toBe('Lax');
        for (const { name, value } of await context.cookies()) {
          expect(JWT.test(decodeURIComponent(value)), `cookie ${name}`).toBe(false);
        }

        const inPage = await page.evaluate(async () => ({
          cookie: document.cookie,
          html: document.documentElement.outerHTML,
          local: JSON.stringify({ ...localStorage }),
          session: JSON.stringify({ ...sessionStorage }),
          authSession: await (await fetch('/api/_auth/session')).text(),
        }));
        for (const [where, text] of Object.entries(inPage)) {
          expect(text.includes('eyJ'), where).toBe(false);
        }
        expect(inPage.cookie).not.toContain(`nuxt-session-${app}`);
        expect(JSON.parse(inPage.authSession)).not.toHaveProperty('secure');
        expect(await page.content()).not.toContain('eyJ');
      } finally {
        await context.close();
      }
    });
  }
});

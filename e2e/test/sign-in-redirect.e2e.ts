// After signing in the browser goes back where it was (`/auth/oidc?redirect=/path`), but only to a
// path of the app: a redirect that a browser would read as another site ends on the home page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoProblems, openPage, sharedBrowser, stack, type TestUser, USERS } from '../src/browser.js';
import { appUrl, type AppName } from '../src/http.js';

/** `redirect` values that browsers resolve to http://evil.example/. */
const LEAVING = ['/\t/evil.example', '/\\evil.example', '//evil.example', 'https://evil.example/', '/.//evil.example', '/\n/evil.example'];

/**
 * Opens `/auth/oidc?redirect=...`, signs in at the IdP when it asks (its session is kept between
 * sign-ins of one context), and answers the URL the browser ends on, on the app or elsewhere.
 */
async function signInReturningTo(page: Page, app: AppName, redirect: string, user: TestUser): Promise<URL> {
  const origin = appUrl(app);
  await page.goto(`${origin}/auth/oidc?redirect=${encodeURIComponent(redirect)}`);
  const settled = (url: URL) => (url.origin === origin && !url.pathname.startsWith('/auth/')) || url.hostname === 'evil.example';
  await page.waitForURL((url) => url.origin === stack.idpBaseUrl || settled(url));
  if (new URL(page.url()).origin === stack.idpBaseUrl) {
    await page.locator('input[name=login]').fill(user.login);
    await page.locator('input[name=password]').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }
  await page.waitForURL(settled);
  await page.waitForLoadState('networkidle');
  return new URL(page.url());
}

describe('the redirect after sign-in stays on the app', () => {
  const browser = sharedBrowser();

  const cases: { app: AppName; user: TestUser; inside: string }[] = [
    { app: 'operator', user: USERS.admin, inside: '/flags?q=jmap#top' },
    { app: 'portal', user: USERS.bob, inside: '/tenants/new' },
  ];
  for (const { app, user, inside } of cases) {
    it(`${app}: a redirect to another site ends on the home page, a path of the app is kept`, async () => {
      const { context, page, problems } = await openPage(browser);
      // A browser sent to evil.example would show this page (and openPage records the request).
      await context.route('http://evil.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }));
      try {
        for (const redirect of LEAVING) {
          const landed = await signInReturningTo(page, app, redirect, user);
          expect({ redirect, landed: landed.href }).toEqual({ redirect, landed: `${appUrl(app)}/` });
        }
        const landed = await signInReturningTo(page, app, inside, user);
        expect(`${landed.pathname}${landed.search}${landed.hash}`).toBe(inside);
        expectNoProblems(problems);
      } finally {
        await context.close();
      }
    });
  }
});

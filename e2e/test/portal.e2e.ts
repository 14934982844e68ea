import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBrowser, expectNoProblems, forgeSession, openAndSignIn, openPage, screenshot, sessionCookie, stack, USERS } from '../src/browser.js';

describe('portal app', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs a customer in and shows her tenants (none yet)', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Alice Customer');
      await expect(page.getByTestId('welcome-title').textContent()).resolves.toContain('Welcome, Alice');
      const empty = page.getByTestId('tenants-empty');
      await empty.getByText('You have no tenants yet').waitFor();
      await expect(empty.getByRole('button', { name: 'Create tenant' }).isDisabled()).resolves.toBe(true);
      await screenshot(page, 'portal-home');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('refreshes the access token before it expires, once for concurrent requests', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.bob);
      const first = await sessionCookie(context, 'portal');
      expect(first).toBeDefined();

      // Tokens last accessTokenTtlSeconds; within a minute of expiry the next API call refreshes.
      await page.waitForTimeout((stack.accessTokenTtlSeconds - 60) * 1000 + 500);
      const statuses = await page.evaluate(async () => {
        const responses = await Promise.all([fetch('/api/me'), fetch('/api/me'), fetch('/api/me')]);
        return responses.map((res) => res.status);
      });
      expect(statuses).toEqual([200, 200, 200]);
      const refreshed = await sessionCookie(context, 'portal');
      expect(refreshed?.value).not.toBe(first?.value);

      // The refreshed session keeps working, and a refresh during server rendering reaches the
      // browser too (the page's API call renews the cookie of the page's response).
      await page.waitForTimeout((stack.accessTokenTtlSeconds - 60) * 1000 + 500);
      await page.reload();
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Bob Customer');
      await page.getByText('You have no tenants yet').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      const renewedBySsr = await sessionCookie(context, 'portal');
      expect(renewedBySsr?.value).not.toBe(refreshed?.value);
      await page.reload();
      await page.getByText('You have no tenants yet').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('ends the session and goes to /login when the API refuses the access token', async () => {
    const { context, page } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      const cookie = (await sessionCookie(context, 'portal'))!;
      const forged = await forgeSession(cookie.value, 'portal', (session) => {
        session.data.secure = { accessToken: 'a-token-the-api-does-not-accept', expiresAt: Date.now() + 3_600_000 };
      });
      await context.addCookies([{ ...cookie, value: forged }]);

      // Server-rendered: the page's API call answers 401, the server clears the session and redirects.
      await page.goto(`${stack.portalUrl}/`);
      await page.waitForURL(`${stack.portalUrl}/login`);
      await page.getByRole('link', { name: 'Sign in with Dezky ID' }).waitFor();
      expect(await sessionCookie(context, 'portal')).toBeUndefined();

      // In the browser: same answer from the app's API route.
      await context.addCookies([{ ...cookie, value: forged }]);
      const api = await page.evaluate(async () => {
        const res = await fetch('/api/me');
        return { status: res.status, body: (await res.json()) as { message?: string } };
      });
      expect(api).toEqual({ status: 401, body: expect.objectContaining({ message: 'Your session has ended. Sign in again.' }) });
      expect(await sessionCookie(context, 'portal')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('comes back to the sign-in page with a message when the sign-in is cancelled at the IdP', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(stack.portalUrl);
      await page.waitForURL(`${stack.portalUrl}/login`);
      await page.getByRole('link', { name: 'Sign in with Dezky ID' }).click();
      await page.waitForURL((url) => url.origin === stack.idpBaseUrl);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.waitForURL(`${stack.portalUrl}/login?error=access_denied`);
      await expect(page.getByTestId('login-error').textContent()).resolves.toContain('The sign-in was cancelled.');
      expect(await sessionCookie(context, 'portal')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('sends the browser to /login when its session cookie is not valid', async () => {
    const { context, page } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      const cookie = await sessionCookie(context, 'portal');
      expect(cookie).toBeDefined();
      await context.addCookies([{ ...cookie!, value: `${cookie!.value.slice(0, -8)}tampered` }]);
      await page.goto(`${stack.portalUrl}/`);
      await page.waitForURL(`${stack.portalUrl}/login`);
      const api = await page.evaluate(async () => (await fetch('/api/me')).status);
      expect(api).toBe(401);
    } finally {
      await context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoProblems, openAndSignIn, openPage, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';

describe('operator app', () => {
  const browser = sharedBrowser();

  it('sends a signed-out visitor to /login, signs a platform administrator in through the IdP and back out', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(stack.operatorUrl);
      await page.waitForURL(`${stack.operatorUrl}/login`);
      await expect(page.getByRole('heading', { name: 'Sign in to Dezky Operator' }).isVisible()).resolves.toBe(true);
      await screenshot(page, 'operator-login');

      await openAndSignIn(page, stack.operatorUrl, USERS.admin);
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByTestId('signed-in-as').getByText('Olivia Operator').waitFor();
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Olivia Operator');
      for (const area of ['Feature flags', 'Partners', 'Tenants']) {
        await expect(page.getByRole('heading', { name: area }).isVisible()).resolves.toBe(true);
      }
      await screenshot(page, 'operator-home');

      // Sign out: one click ends the app's session and the IdP's (the app names the session it
      // ends with id_token_hint, so the IdP asks nothing).
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL(`${stack.operatorUrl}/login`);
      await page.goto(`${stack.operatorUrl}/`);
      await page.waitForURL(`${stack.operatorUrl}/login`);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('shows a customer account that it is not a platform administrator instead of the dashboard', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.alice);
    try {
      await page.waitForURL(`${stack.operatorUrl}/not-admin`);
      await page.getByRole('heading', { name: 'Your account is not a platform administrator' }).waitFor();
      await expect(page.getByTestId('not-admin').textContent()).resolves.toContain('alice@customer.test');
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Alice Customer');
      await expect(page.getByText('Feature flags').count()).resolves.toBe(0);

      // Typing the dashboard's address changes nothing.
      await page.goto(`${stack.operatorUrl}/`);
      await page.waitForURL(`${stack.operatorUrl}/not-admin`);
      await screenshot(page, 'operator-not-admin');

      // The API agrees: she is no platform administrator.
      const me = await page.evaluate(async () => {
        const res = await fetch('/api/me');
        return { status: res.status, body: (await res.json()) as { profile: { platformAdmin: boolean } } };
      });
      expect(me.status).toBe(200);
      expect(me.body.profile.platformAdmin).toBe(false);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

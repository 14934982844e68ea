// Getting around the operator app: a flag's own address opens it, an unknown address is the app's
// own 404 page (inside its layout), and a slow page shows the loading bar while it loads.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoProblems, expectOnlyProvokedProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { SCREENSHOTS } from '../src/paths.js';
import { api, apiOk, createTenants, runId } from './operator-flags-api.js';

const run = runId();

describe('operator: navigation', () => {
  const browser = sharedBrowser();

  it('opens a flag from /flags/<key>, and shows unknown pages as its own 404 inside the app', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {

      // The address people share: the flags page with that flag's panel open.
      await page.goto(`${stack.operatorUrl}/flags/sso_enforcement`);
      await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('key') === 'sso_enforcement');
      await page.locator('[data-testid=flag-panel][data-flag="sso_enforcement"][data-version]').waitFor();
      await page.getByTestId('flags-table').locator('[data-flag-row]').first().waitFor();

      // An unknown page: the app's own 404, inside its layout, said once.
      const answer = await page.goto(`${stack.operatorUrl}/no-such-page`);
      expect(answer?.status()).toBe(404);
      const error = page.getByTestId('error-page');
      await error.waitFor();
      await expect(error.getAttribute('data-status')).resolves.toBe('404');
      await expect(page.getByText('Page not found').count()).resolves.toBe(1);
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Flags' }).waitFor();
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe(USERS.admin.name);
      await screenshot(page, 'operator-not-found');
      await error.getByRole('link', { name: 'Back to the overview' }).click();
      await page.waitForURL(`${stack.operatorUrl}/`);
      await page.getByTestId('error-page').waitFor({ state: 'detached' });

      // What cannot be a flag key is no flag, said in the panel too.
      await page.goto(`${stack.operatorUrl}/flags/Not-A-Key`);
      await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('key') === 'Not-A-Key');
      await page.getByTestId('flag-panel-error').getByText('There is no flag Not-A-Key.', { exact: false }).waitFor();

      // From a 404, the sidebar leads on.
      await page.goto(`${stack.operatorUrl}/tenants/acme/no-such-tab`);
      await page.getByTestId('error-page').getByText('Page not found').waitFor();
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Flags' }).click();
      await page.getByTestId('flags-table').locator('[data-flag-row]').first().waitFor();
      await page.getByTestId('error-page').waitFor({ state: 'detached' });

      // Expected: the 404 answers of the unknown pages.
      const expected = (p: string) => /404/.test(p) && /no-such-(page|tab)/.test(p);
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
  it('shows the loading bar while a page it navigates to is still loading its data', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags`);
      await page.getByTestId('flags-table').locator('[data-flag-row]').first().waitFor();

      // The tenants page's list is held back until the bar has been seen.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      await page.route(
        (url) => url.pathname === '/api/tenants',
        async (route) => {
          holding();
          await released;
          await route.fallback();
        },
      );
      const loading = () => {
        const bar = document.querySelector<HTMLElement>('.nuxt-loading-indicator');
        return !!bar && bar.style.opacity === '1';
      };
      await expect(page.evaluate(loading)).resolves.toBe(false);
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Tenants' }).click();
      // The bar may show before the page asks for its list (while its code loads): what matters
      // is that it shows while the list is held, so wait for the request first.
      await held;
      await page.waitForFunction(loading);
      // (Not screenshot(): it waits for the network to go idle, which the held request prevents.)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'operator-loading-bar.png') });

      release();
      await page.getByTestId('tenants-table').waitFor();
      await page.waitForFunction(() => document.querySelector<HTMLElement>('.nuxt-loading-indicator')?.style.opacity === '0');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
  it("links a flag's panel to the audit log filtered to that flag", async () => {
    const key = `e2e_${run}_audited`;
    await apiOk('POST', '/flags', { key, description: 'E2E: audited flag' });
    await apiOk('PATCH', `/flags/${key}`, { state: 'on' });
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
      const panel = page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`);
      await panel.waitFor();
      const link = panel.getByRole('link', { name: 'Audit log' });
      await link.scrollIntoViewIfNeeded();
      await screenshot(page, 'operator-flag-audit-link');
      await link.click();
      await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('resourceType') === 'flag' && url.searchParams.get('resourceId') === key);
      const table = page.getByTestId('audit-table');
      await expect.poll(() => table.locator('[data-testid^="audit-action-"]').allTextContents()).toEqual(['flag.update', 'flag.create']);
      await expect(page.getByTestId('audit-resource-id').textContent()).resolves.toContain(key);
      expectNoProblems(problems);
    } finally {
      await context.close();
      await api('DELETE', `/flags/${key}`);
    }
  });
  it("tells a page whose data could not be loaded in a sentence, and Try again loads it", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags`);
      await page.getByTestId('flags-table').locator('[data-flag-row]').first().waitFor();

      let offline = true;
      await page.route(
        (url) => url.pathname === '/api/audit',
        (route) => (offline ? route.abort('internetdisconnected') : route.fallback()),
      );
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Audit' }).click();
      const alert = page.getByTestId('audit-error');
      await alert.getByText('The audit log could not be loaded').waitFor();
      await alert.getByText('The server could not be reached. Check your connection and try again.').waitFor();
      await expect(alert.textContent()).resolves.not.toMatch(/fetch|\[GET\]|no response/i);
      offline = false;
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();

      // Expected: the request cut off on purpose (and the browser's console line about it).
      const expected = (p: string) => p.includes('ERR_INTERNET_DISCONNECTED');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
  it('offers Retry when a tenant action met an unreachable server, and Retry does it', async () => {
    const [slug] = await createTenants(`nav-${run}`, 1);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/tenants/${slug}`);
      await page.getByTestId('tenant-provisioning').waitFor();

      let offline = true;
      await page.route(
        (url) => url.pathname === `/api/tenants/${slug}/reconcile`,
        (route) => (offline ? route.abort('internetdisconnected') : route.fallback()),
      );
      await page.getByTestId('tenant-reconcile').click();
      const toast = page.locator('li', { hasText: 'Reconcile failed' });
      await toast.getByText('The server could not be reached. Check your connection and try again.').waitFor();
      offline = false;
      await toast.getByRole('button', { name: 'Retry', includeHidden: true }).click();
      await page.locator('li', { hasText: /Provisioning reconciled|Reconciled with errors/ }).first().waitFor();

      // Expected: the request cut off on purpose (and the browser's console line about it).
      const expected = (p: string) => p.includes('ERR_INTERNET_DISCONNECTED');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
});

// The operator's lists and pickers: natural order (2 before 10), only partners that can still be
// targeted in the flag scope, and the tenant list kept to platform administrators.
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoProblems, expectOnlyProvokedProblems, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, runId } from './operator-flags-api.js';

const run = runId();
/** Flags this file creates (deleted at the end). */
const created: string[] = [];

describe('operator: lists and pickers', () => {
  const browser = sharedBrowser();
  afterAll(async () => {
    for (const key of created) await api('DELETE', `/flags/${key}`);
  });

  it('sorts flag keys in natural order: 2 before 10, in both directions', async () => {
    const keys = [`e2e_${run}_n10`, `e2e_${run}_n2`, `e2e_${run}_n11`, `e2e_${run}_n1`];
    for (const key of keys) {
      await apiOk('POST', '/flags', { key, description: `E2E: natural order ${key}` });
      created.push(key);
    }
    const natural = [1, 2, 10, 11].map((n) => `e2e_${run}_n${n}`);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags`);
      const table = page.getByTestId('flags-table');
      await table.locator('[data-flag-row]').first().waitFor();
      await page.getByTestId('flags-search').fill(`e2e_${run}_n`);
      await expect.poll(() => table.getByTestId('flag-key').allTextContents()).toEqual(natural);
      await page.getByRole('button', { name: 'Sort by flag' }).click();
      await expect.poll(() => table.getByTestId('flag-key').allTextContents()).toEqual([...natural].reverse());
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('leaves terminated partners out of the flag targeting picker', async () => {
    const key = `e2e_${run}_partners`;
    await apiOk('POST', '/flags', { key, description: 'E2E: partner targeting' });
    created.push(key);
    const active = `live-${run}`;
    const terminated = `gone-${run}`;
    for (const slug of [active, terminated]) {
      await apiOk('POST', '/partners', { slug, name: `Partner ${slug}`, domain: `${slug}.example`, marginPct: 10 });
    }
    await apiOk('DELETE', `/partners/${terminated}`, undefined, 200);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
      const panel = page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`);
      await panel.waitFor();
      const picker = panel.getByTestId('scope-partners');
      await picker.click();
      await picker.fill(run);
      await page.getByRole('option', { name: new RegExp(active) }).waitFor();
      await expect(page.getByRole('option', { name: new RegExp(terminated) }).count()).resolves.toBe(0);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("refuses the tenant list to someone signed in who is no platform administrator, with the API's reason", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.alice);
    try {
      await page.waitForURL(`${stack.operatorUrl}/not-admin`);
      const answers = await page.evaluate(async () => {
        const read = async (path: string) => {
          const res = await fetch(path);
          return { status: res.status, message: ((await res.json()) as { message?: string }).message };
        };
        return { tenants: await read('/api/tenants'), partners: await read('/api/partners') };
      });
      expect(answers.partners.status).toBe(403);
      expect(answers.tenants).toEqual({ status: 403, message: answers.partners.message });
      expect(answers.tenants.message).toMatch(/platform administrator/);

      // Expected: the two refusals (and the browser's console lines about them).
      const expected = (p: string) => p.includes('403');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
  it('keeps the flags list\'s search and state filter in the address: reload and back keep them', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags`);
      const table = page.getByTestId('flags-table');
      await table.locator('[data-flag-row]').first().waitFor();
      const filteredKeys = () => table.getByTestId('flag-key').allTextContents();

      await page.getByTestId('flags-search').fill('v2');
      await page.getByTestId('flags-state-filter').getByRole('tab', { name: /Off/ }).click();
      await page.waitForURL((url) => url.searchParams.get('search') === 'v2' && url.searchParams.get('state') === 'off');
      await expect.poll(filteredKeys).toEqual(expect.arrayContaining(['gdpr_export_v2']));
      const shown = await filteredKeys();
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((key) => key.includes('v2'))).toBe(true);

      // Reload: the same filters, the same rows.
      await page.reload();
      await table.locator('[data-flag-row]').first().waitFor();
      await expect(page.getByTestId('flags-search').inputValue()).resolves.toBe('v2');
      await expect(page.getByTestId('flags-state-filter').getByRole('tab', { name: /Off/ }).getAttribute('aria-selected')).resolves.toBe('true');
      await expect.poll(filteredKeys).toEqual(shown);

      // A flag's panel opened and closed, another page and back: still the same.
      await table.locator(`[data-flag-row="${shown[0]}"]`).click();
      await page.waitForURL((url) => url.searchParams.get('key') === shown[0] && url.searchParams.get('search') === 'v2');
      await page.getByTestId('flag-panel-close').click();
      await page.waitForURL((url) => !url.searchParams.has('key') && url.searchParams.get('state') === 'off');
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Partners' }).click();
      await page.waitForURL((url) => url.pathname === '/partners');
      await page.goBack();
      await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('search') === 'v2' && url.searchParams.get('state') === 'off');
      await expect(page.getByTestId('flags-search').inputValue()).resolves.toBe('v2');
      await expect.poll(filteredKeys).toEqual(shown);

      // The sidebar's Flags is the whole list again.
      await page.getByTestId('sidebar-nav').getByRole('link', { name: 'Flags' }).click();
      await page.waitForURL((url) => url.pathname === '/flags' && url.search === '');
      await expect(page.getByTestId('flags-search').inputValue()).resolves.toBe('');
      await expect(page.getByTestId('flags-state-filter').getByRole('tab', { name: /All/ }).getAttribute('aria-selected')).resolves.toBe('true');

      // Typed key by key, the search ends as typed: the address catching up never undoes a key.
      await page.getByTestId('flags-search').pressSequentially('gdpr_export');
      await page.waitForURL((url) => url.searchParams.get('search') === 'gdpr_export');
      await expect(page.getByTestId('flags-search').inputValue()).resolves.toBe('gdpr_export');
      await expect.poll(filteredKeys).toEqual(['gdpr_export_v2']);

      // Clearing the filters clears the address.
      await page.getByTestId('flags-search').fill('');
      await page.waitForURL((url) => url.pathname === '/flags' && url.search === '');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

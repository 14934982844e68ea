// The operator's command palette (Ctrl/Cmd+K): flags, partners, tenants and pages from the API,
// loaded when it opens; choosing one navigates there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, openPalette, runId } from './operator-flags-api.js';

const run = runId();
const flagKey = `palette_${run}`;
const partnerSlug = `palette-partner-${run}`;
const tenantSlug = `palette-tenant-${run}`;

describe('operator: command palette', () => {
  const browser = sharedBrowser();
  beforeAll(async () => {
    await apiOk('POST', '/partners', { slug: partnerSlug, name: `Palette Partner ${run}`, domain: `${partnerSlug}.example`, marginPct: 10 });
    await apiOk('POST', '/tenants', { slug: tenantSlug, name: `Palette Tenant ${run}`, plan: 'business' });
  });
  afterAll(async () => {
    await api('DELETE', `/flags/${flagKey}`);
  });

  it('opens with Ctrl/Cmd+K, finds a flag created a moment ago, a partner, a tenant and pages, and goes there', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.getByTestId('sidebar-nav').waitFor();

      // Created after the page loaded: the palette fetches when it opens.
      await apiOk('POST', '/flags', { key: flagKey, description: 'Created behind the page for the palette test' });

      await openPalette(page);
      const palette = page.getByTestId('command-palette');
      for (const group of ['Flags', 'Partners', 'Tenants', 'Pages']) {
        await palette.getByText(group, { exact: true }).first().waitFor();
      }
      await page.keyboard.type(flagKey);
      await palette.getByRole('option', { name: new RegExp(flagKey) }).waitFor();
      await screenshot(page, 'operator-palette');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('key') === flagKey);
      await palette.waitFor({ state: 'detached' });
      await page.locator(`[data-testid=flag-panel][data-flag="${flagKey}"][data-version]`).waitFor();
      await page.getByTestId('flag-panel-close').click();
      await page.waitForURL((url) => !url.searchParams.has('key'));

      // Everything so far is the palette's and the flag page's doing; the other sections' pages are
      // not under test here.
      expectNoProblems(problems);

      // Pages.
      await openPalette(page);
      await page.keyboard.type('Audit log');
      await palette.getByRole('option', { name: /Audit log/ }).click();
      await page.waitForURL(`${stack.operatorUrl}/audit`);
      await palette.waitFor({ state: 'detached' });

      // A partner, by name.
      await openPalette(page);
      await page.keyboard.type(`Palette Partner ${run}`);
      await palette.getByRole('option', { name: new RegExp(`Palette Partner ${run}`) }).click();
      await page.waitForURL(`${stack.operatorUrl}/partners/${partnerSlug}`);
      await palette.waitFor({ state: 'detached' });

      // A tenant, searched on the server by its slug.
      await openPalette(page);
      await page.keyboard.type(tenantSlug);
      await palette.getByRole('option', { name: new RegExp(tenantSlug) }).click();
      await page.waitForURL(`${stack.operatorUrl}/tenants/${tenantSlug}`);
      await palette.waitFor({ state: 'detached' });

      // The sidebar's search button opens it too; Escape closes it.
      await page.getByTestId('palette-open').click();
      await palette.waitFor();
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'detached' });
      expect(new URL(page.url()).pathname).toBe(`/tenants/${tenantSlug}`);
    } finally {
      await context.close();
    }
  });
});

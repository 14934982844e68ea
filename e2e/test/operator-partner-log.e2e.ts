// A partner's audit log and the names of people: the partner page's "Audit log" shows every event
// about the partner (its own, and its tenants' attach and detach), its filter chip names the
// partner, and the administrator is one name everywhere (header, audit actors, flag changes) with
// the email on hover.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBrowser, expectNoProblems, openAndSignIn, openPage, screenshot, stack, USERS } from '../src/browser.js';
import { api, customerToken, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: a partner’s audit log, people by name', () => {
  let browser: Browser;
  const suffix = uniqueSuffix();
  const partner = { slug: `fjord-${suffix}`, name: `Fjord Systems ${suffix.toUpperCase()}`, domain: `fjord-${suffix}.no` };
  const tenants = [`kelp-${suffix}`, `tide-${suffix}`];
  let partnerId = '';

  beforeAll(async () => {
    browser = await connectBrowser();
    const admin = await operatorToken();
    partnerId = (await api<{ id: string }>(admin, 'POST', '/partners', { ...partner, marginPct: 15 })).id;
    for (const slug of tenants) {
      await api(await customerToken(), 'POST', '/tenants', { slug, name: `Tenant ${slug}`, plan: 'starter' });
    }
    // The first tenant is attached and detached, the second attached; the partner's margin changes.
    await api(admin, 'PATCH', `/tenants/${tenants[0]}`, { partnerId });
    await api(admin, 'PATCH', `/tenants/${tenants[0]}`, { partnerId: null });
    await api(admin, 'PATCH', `/tenants/${tenants[1]}`, { partnerId });
    await api(admin, 'PATCH', `/partners/${partner.slug}`, { marginPct: 20 });
    // A rename of an attached tenant is no event of the partner's.
    await api(admin, 'PATCH', `/tenants/${tenants[1]}`, { name: `Renamed ${tenants[1]}` });
    // The newest flag change, by the administrator.
    await api(admin, 'POST', '/flags', { key: `people_${suffix}`, description: 'Names people by their display name' });
  });
  afterAll(() => browser?.close());

  it('lists every event about the partner under its name, each actor by name with the email on hover', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    try {
      await openAndSignIn(page, stack.operatorUrl, USERS.admin);
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Olivia Operator');
      await expect(page.getByTestId('user-name').getAttribute('title')).resolves.toBe('admin@dezky.test');

      await page.goto(`${stack.operatorUrl}/partners/${partner.slug}`);
      await page.getByTestId('partner-page').waitFor();
      await page.getByTestId('partner-audit-link').click();
      await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('partner') === partner.slug);

      const table = page.getByTestId('audit-table');
      const actions = table.locator('[data-testid^="audit-action-"]');
      await expect.poll(() => actions.allTextContents()).toEqual(['partner.update', 'tenant.update', 'tenant.update', 'tenant.update', 'partner.create']);
      const resources = await table.locator('[data-testid^="audit-resource-"]').allTextContents();
      const about = (text: string) => [partner.slug, ...tenants].find((slug) => text.includes(`(${slug})`)) ?? text;
      expect(resources.map(about)).toEqual([partner.slug, tenants[1], tenants[0], tenants[0], partner.slug]);
      await expect(page.getByTestId('audit-total').textContent().then((t) => t?.trim())).resolves.toBe('5 entries');

      // The chip names the partner, never its database id.
      const chip = page.getByTestId('audit-partner');
      await expect(chip.textContent()).resolves.toContain(partner.name);
      await expect(chip.textContent()).resolves.not.toContain(partnerId);

      const actors = table.locator('[data-testid^="audit-actor-"]');
      expect((await actors.allTextContents()).map((a) => a.trim())).toEqual(Array(5).fill('Olivia Operator'));
      expect(await actors.evaluateAll((els) => els.map((el) => el.getAttribute('title')))).toEqual(Array(5).fill('admin@dezky.test'));
      await screenshot(page, 'operator-partner-log');

      // Narrowed further by action, it stays the partner's log.
      await page.goto(`${stack.operatorUrl}/audit?partner=${partner.slug}&action=partner.create`);
      await expect.poll(() => actions.allTextContents()).toEqual(['partner.create']);

      // The overview's recent flag changes name their author the same way.
      await page.goto(`${stack.operatorUrl}/`);
      const author = page.getByTestId('recent-change-actor').first();
      await expect.poll(() => author.textContent()).toBe('Olivia Operator');
      await expect(author.getAttribute('title')).resolves.toBe('admin@dezky.test');
      expectNoProblems(tab.problems);
    } finally {
      await tab.context.close();
    }
  });
});

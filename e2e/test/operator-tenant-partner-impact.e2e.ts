// Changing a tenant's partner in the operator app shows, before Save, which of the tenant's flags
// the change gives or takes, with the reasons, from the evaluator that serves the tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, customerToken, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: partner change impact', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  const tenant = { slug: `harbor-${suffix}`, name: `Harbor Tools ${suffix.toUpperCase()}`, plan: 'business' };
  const partner = { slug: `reseller-${suffix}`, name: `Reseller ${suffix.toUpperCase()}`, domain: `reseller-${suffix}.example`, marginPct: 15 };
  const partnerFlag = `e2e_partner_${suffix}`;
  let adminToken = '';

  beforeAll(async () => {
    await api(await customerToken(), 'POST', '/tenants', tenant);
    adminToken = await operatorToken();
    await api(adminToken, 'POST', '/partners', partner);
    await api(adminToken, 'POST', '/flags', { key: partnerFlag, description: "E2E: the reseller's tenants only" });
    await api(adminToken, 'PATCH', `/flags/${partnerFlag}`, { state: 'targeted', scope: { partnerSlugs: [partner.slug] } });
  });
  afterAll(async () => {
    await api(adminToken, 'DELETE', `/flags/${partnerFlag}`).catch(() => undefined);
  });

  it('lists the flags the new partner would give the tenant before Save, then saves', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/tenants/${tenant.slug}`);
      await page.getByTestId('tenant-partner-edit').click();
      await page.getByTestId('tenant-partner-select').click();
      await page.getByRole('option', { name: partner.name }).click();
      const gained = page.getByTestId(`flip-gained-${partnerFlag}`);
      await gained.waitFor();
      await expect(gained.textContent()).resolves.toContain('Now outside the targeted partner; then in the targeted scope.');
      await screenshot(page, 'operator-partner-change-impact');
      await page.getByTestId('tenant-partner-submit').click();
      await page.getByText('Partner changed', { exact: true }).waitFor();
      await expect(page.getByTestId('tenant-partner').textContent()).resolves.toContain(partner.name);
      const row = page.getByTestId(`flag-${partnerFlag}`);
      await expect.poll(() => row.getAttribute('data-value'), { timeout: 10_000 }).toBe('true');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

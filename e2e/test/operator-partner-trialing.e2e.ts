// A partner whose customers are all trialing has an MRR of €0.00: the operator app says why.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, customerToken, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: MRR of trialing customers', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  const partner = { slug: `trial-reseller-${suffix}`, name: `Trial Reseller ${suffix.toUpperCase()}`, domain: `trial-${suffix}.example`, marginPct: 20 };
  const tenant = { slug: `trial-co-${suffix}`, name: `Trial Co ${suffix.toUpperCase()}`, plan: 'business' };

  beforeAll(async () => {
    await api(await customerToken(), 'POST', '/tenants', tenant);
    const admin = await operatorToken();
    const { id } = await api<{ id: string }>(admin, 'POST', '/partners', partner);
    await api(admin, 'PATCH', `/tenants/${tenant.slug}`, { partnerId: id });
    await api(admin, 'PATCH', `/tenants/${tenant.slug}/subscription`, { status: 'trialing', seats: 4 });
  });

  it('shows that the customers are trialing and what they will bill once active', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/partners/${partner.slug}`);
      const mrr = page.getByTestId('partner-mrr');
      await mrr.waitFor();
      await expect(mrr.textContent()).resolves.toBe('€0.00');
      // Business: €9.00 per seat, 4 seats.
      await expect(page.getByTestId('partner-mrr-hint').textContent()).resolves.toBe('1 customer is trialing, not billed yet (€36.00 per month once active)');

      await page.goto(`${stack.operatorUrl}/partners?search=${suffix}`);
      await expect(page.getByTestId(`partner-trialing-${partner.slug}`).textContent()).resolves.toContain('1 trialing, €36.00 once active');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

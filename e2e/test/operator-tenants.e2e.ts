// Tenants in the operator app: the list filters by plan; a tenant's page shows every flag's value
// with the reason, re-runs provisioning, changes plan, domains (verifying one by hand) and status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, customerToken, fullScreenshot, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: tenants', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  const starter = { slug: `lumen-${suffix}`, name: `Lumen Bakery ${suffix.toUpperCase()}`, plan: 'starter' };
  const enterprise = { slug: `orbital-${suffix}`, name: `Orbital Freight ${suffix.toUpperCase()}`, plan: 'enterprise', domains: [`orbital-${suffix}.example`] };
  // Flags of this test only (deleted afterwards): one targeted at enterprise, one rolled out to 100%.
  const targeted = `e2e_enterprise_${suffix}`;
  const rollout = `e2e_rollout_${suffix}`;
  let adminToken = '';

  beforeAll(async () => {
    const customer = await customerToken();
    await api(customer, 'POST', '/tenants', starter);
    await api(customer, 'POST', '/tenants', enterprise);
    adminToken = await operatorToken();
    await api(adminToken, 'PATCH', `/tenants/${enterprise.slug}/subscription`, { status: 'active', seats: 40 });
    await api(adminToken, 'POST', '/flags', { key: targeted, description: 'E2E: enterprise tenants only' });
    await api(adminToken, 'PATCH', `/flags/${targeted}`, { state: 'targeted', scope: { plans: ['enterprise'] } });
    await api(adminToken, 'POST', '/flags', { key: rollout, description: 'E2E: rolled out to every tenant' });
    await api(adminToken, 'PATCH', `/flags/${rollout}`, { state: 'rollout', pct: 100 });
  });
  afterAll(async () => {
    for (const key of [targeted, rollout]) await api(adminToken, 'DELETE', `/flags/${key}`).catch(() => undefined);
  });

  it('filters the tenants by plan', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/tenants?search=${suffix}`);
      const table = page.getByTestId('tenants-table');
      await table.getByTestId(`tenant-link-${starter.slug}`).waitFor();
      await table.getByTestId(`tenant-link-${enterprise.slug}`).waitFor();
      await expect(table.locator('tbody tr').count()).resolves.toBe(2);

      await page.getByTestId('tenants-plan').click();
      await page.getByRole('option', { name: 'Enterprise' }).click();
      await page.waitForURL((url) => url.searchParams.get('plan') === 'enterprise');
      await table.getByTestId(`tenant-link-${starter.slug}`).waitFor({ state: 'detached' });
      await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
      await table.getByTestId(`tenant-link-${enterprise.slug}`).waitFor();
      await expect(page.getByTestId('tenants-total').textContent()).resolves.toContain('1 tenant');

      await page.getByTestId('tenants-plan').click();
      await page.getByRole('option', { name: 'Business' }).click();
      await page.getByTestId('tenants-empty').waitFor();

      // Reloading keeps the filters (they live in the address).
      await page.reload();
      await page.getByTestId('tenants-empty').waitFor();
      await page.getByTestId('tenants-clear').click();
      await page.waitForURL((url) => !url.searchParams.has('plan') && !url.searchParams.has('search'));
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("shows a tenant's evaluated flags with why, reconciles it and changes its plan, domains and status", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      // The list holds every test's tenants: find this one by name.
      await page.goto(`${stack.operatorUrl}/tenants`);
      await page.getByTestId('tenants-search').fill(enterprise.name);
      // The search goes into the address after a pause in typing (a click before that would be
      // undone by the search's navigation), then its answer replaces the list, where the tenant
      // may already be, elsewhere: click once the list is the answer, this tenant alone.
      await page.waitForURL((url) => url.searchParams.get('search') === enterprise.name);
      await expect.poll(() => page.getByTestId('tenants-table').locator('tbody tr').count()).toBe(1);
      await page.getByTestId(`tenant-link-${enterprise.slug}`).click();
      await page.waitForURL(`${stack.operatorUrl}/tenants/${enterprise.slug}`);
      await expect(page.getByTestId('tenant-name-heading').textContent()).resolves.toBe(enterprise.name);
      // 40 seats of Enterprise at 18 €.
      await expect(page.getByTestId('tenant-subscription-price').textContent()).resolves.toContain('€720.00');
      await expect(page.getByTestId('tenant-subscription-status').textContent()).resolves.toBe('Active');

      // Flags: every flag (the ten seeded ones and this test's two) with its value and reason.
      const flags = page.getByTestId('tenant-flags');
      const targetedRow = flags.getByTestId(`flag-${targeted}`);
      await targetedRow.waitFor();
      expect(await targetedRow.getAttribute('data-value')).toBe('true');
      expect(await targetedRow.getAttribute('data-reason')).toBe('scope-match');
      const rolloutRow = flags.getByTestId(`flag-${rollout}`);
      expect(await rolloutRow.getAttribute('data-reason')).toBe('inside-rollout');
      await expect(flags.getByTestId(`flag-why-${rollout}`).textContent()).resolves.toMatch(/Bucket \d+ is below 100%/);
      const seeded = flags.getByTestId('flag-jmap_native_v2');
      expect(await seeded.getAttribute('data-reason')).toMatch(/^(off|on|no-scope|scope-match|scope-mismatch|inside-rollout|outside-rollout)$/);
      expect(await flags.locator('[data-testid^="flag-why-"]').count()).toBeGreaterThanOrEqual(12);
      await expect(page.getByTestId('tenant-flags-summary').textContent()).resolves.toMatch(/\d+ of \d+ flags on/);

      // Reconcile re-runs provisioning: a new run time (no Authentik API is configured: skipped).
      const authentik = page.getByTestId('provisioning-authentik');
      const before = await authentik.getAttribute('data-at');
      expect(await authentik.getAttribute('data-state')).toBe('skipped');
      await page.getByTestId('tenant-reconcile').click();
      await page.getByText('Provisioning reconciled', { exact: true }).waitFor();
      await expect.poll(() => authentik.getAttribute('data-at')).not.toBe(before);
      expect(new Date((await authentik.getAttribute('data-at'))!).getTime()).toBeGreaterThan(new Date(before!).getTime());

      // Domains: add one; like the customer's, it is pending until verified, here by hand.
      const domains = page.getByTestId('tenant-domains');
      const domainRow = (name: string) => domains.locator(`[data-testid="tenant-domain"][data-domain="${name}"]`);
      await expect(domainRow(`orbital-${suffix}.example`).getByTestId('tenant-domain-status').textContent()).resolves.toBe('Pending');
      await page.getByTestId('tenant-domains-edit').click();
      const domainsInput = page.getByTestId('tenant-domains-input');
      await domainsInput.fill(`mail.orbital-${suffix}.example`);
      await domainsInput.press('Enter');
      await page.getByTestId('tenant-domains-submit').click();
      await page.getByText('Domains saved', { exact: true }).waitFor();
      const added = domainRow(`mail.orbital-${suffix}.example`);
      await added.waitFor();
      await expect(added.getByTestId('tenant-domain-status').textContent()).resolves.toBe('Pending');
      await expect(added.textContent()).resolves.toMatch(/Waits for TXT dezky-verification=[A-Za-z0-9_-]{32}/);
      await added.getByTestId('tenant-domain-mark-verified').click();
      await page.getByText('Domain verified', { exact: true }).waitFor();
      await expect.poll(() => added.getByTestId('tenant-domain-status').textContent()).toBe('Verified');
      expect(await added.getByTestId('tenant-domain-mark-verified').count()).toBe(0);
      await expect(added.textContent()).resolves.toContain('Verified by an operator');
      // The hand verification is in the audit log, under the operator's name.
      const tenantId = (await api<{ id: string }>(adminToken, 'GET', `/tenants/${enterprise.slug}`)).id;
      const audit = await api<{ items: { actor: { email: string } }[] }>(adminToken, 'GET', `/audit?action=tenant.domain_mark_verified&resourceId=${tenantId}`);
      expect(audit.items.map((e) => e.actor.email)).toEqual([USERS.admin.login]);
      // Saved again, the verified domain stays verified.
      await page.getByTestId('tenant-domains-edit').click();
      await page.getByTestId('tenant-domains-input').fill(`www.orbital-${suffix}.example`);
      await page.getByTestId('tenant-domains-input').press('Enter');
      await page.getByTestId('tenant-domains-submit').click();
      // The first save's toast may still be up.
      await page.getByText('Domains saved', { exact: true }).last().waitFor();
      await domainRow(`www.orbital-${suffix}.example`).waitFor();
      await expect(added.getByTestId('tenant-domain-status').textContent()).resolves.toBe('Verified');

      await fullScreenshot(page, 'operator-tenant-detail');

      // Plan: enterprise → business reprices the subscription; the targeted flag turns off, which
      // the confirmation says before anything changes.
      const price = await page.getByTestId('tenant-subscription-price').textContent();
      await page.getByTestId('tenant-plan-select').click();
      await page.getByRole('option', { name: /^Business/ }).click();
      await page.getByTestId('tenant-plan-submit').click();
      const lost = page.getByTestId(`flip-lost-${targeted}`);
      await lost.waitFor();
      await expect(lost.textContent()).resolves.toContain('Now in the targeted scope; then outside the targeted plan.');
      await expect(page.getByTestId('tenant-plan-badge').textContent()).resolves.toBe('Enterprise');
      await screenshot(page, 'operator-plan-change-confirmation');
      await page.getByTestId('confirm-submit').click();
      await page.getByText('Plan changed', { exact: true }).waitFor();
      await expect(page.getByTestId('tenant-plan-badge').textContent()).resolves.toBe('Business');
      await expect.poll(() => page.getByTestId('tenant-subscription-price').textContent()).not.toBe(price);
      await expect(page.getByTestId('tenant-subscription-price').textContent()).resolves.toContain('€360.00');
      await expect.poll(() => targetedRow.getAttribute('data-reason'), { timeout: 10_000 }).toBe('scope-mismatch');
      expect(await targetedRow.getAttribute('data-value')).toBe('false');
      await expect(flags.getByTestId(`flag-why-${targeted}`).textContent()).resolves.toContain('Its plan (business) is not among');

      // Suspend (confirmed), then resume.
      await page.getByTestId('tenant-suspend').click();
      await page.getByTestId('confirm-submit').click();
      await page.getByTestId('tenant-suspended-banner').waitFor();
      await expect(page.getByTestId('tenant-status').textContent()).resolves.toBe('Suspended');
      await page.getByTestId('tenant-resume').click();
      await page.getByTestId('tenant-suspended-banner').waitFor({ state: 'detached' });
      await expect(page.getByTestId('tenant-status').textContent()).resolves.toBe('Active');

      // The partner link of a direct customer: none.
      await expect(page.getByTestId('tenant-partner').textContent()).resolves.toContain('Direct customer');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('answers an unknown tenant with a not-found state', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/tenants/no-such-tenant-${suffix}`);
      await page.getByTestId('tenant-not-found').waitFor();
      expect(problems.filter((p) => !/HTTP 404: GET .*\/api\/tenants\/no-such-tenant-/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

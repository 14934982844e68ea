// Partners in the operator app: create one through the modal, attach a tenant a customer created,
// terminate it by typing its slug, and find both changes in its audit log with the actor.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, customerToken, fullScreenshot, operatorToken, uniqueSuffix, unexpected } from './operator-tenants.api.js';

describe('operator app: partners', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  const partner = { slug: `nordlicht-${suffix}`, name: `Nordlicht IT ${suffix.toUpperCase()}`, domain: `nordlicht-${suffix}.se` };
  const tenant = { slug: `brightside-${suffix}`, name: `Brightside Dental ${suffix.toUpperCase()}` };

  beforeAll(async () => {
    // The tenant a customer signed up with (any signed-in user may create one and becomes its owner).
    await api(await customerToken(), 'POST', '/tenants', { slug: tenant.slug, name: tenant.name, plan: 'business', domains: [`${tenant.slug}.example`] });
    // Out of its trial: 12 seats of Business at 9 € count towards the partner's MRR.
    await api(await operatorToken(), 'PATCH', `/tenants/${tenant.slug}/subscription`, { status: 'active', seats: 12 });
  });

  it('creates a partner, attaches a tenant, terminates the partner and shows both in its audit log', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/partners`);
      await page.getByTestId('partners-page').waitFor();

      // Create through the modal: the slug follows the name until edited.
      await page.getByTestId('partner-new').click();
      const form = page.getByTestId('partner-create-form');
      await form.getByTestId('partner-name').fill(partner.name);
      await expect(form.getByTestId('partner-slug').inputValue()).resolves.toBe(`nordlicht-it-${suffix}`);
      await form.getByTestId('partner-slug').fill(partner.slug);
      await form.getByTestId('partner-domain').fill(partner.domain);
      await form.getByTestId('partner-contact-name').fill('Nora Lind');
      await form.getByTestId('partner-contact-email').fill('not-an-email');
      await page.getByTestId('partner-create-submit').click();
      // Mirrors the API's rules before anything is sent.
      await form.getByText('Enter an email address').waitFor();
      await form.getByTestId('partner-contact-email').fill(`nora@${partner.domain}`);
      await form.getByTestId('partner-billing-vat').fill('SE556677889901');
      await page.getByTestId('partner-create-submit').click();
      await form.waitFor({ state: 'detached' });
      await page.getByText('Partner created', { exact: true }).waitFor();

      const link = page.getByTestId(`partner-link-${partner.slug}`);
      await link.waitFor();
      await expect(link.textContent()).resolves.toContain(partner.name);
      await expect(page.getByTestId(`partner-customers-${partner.slug}`).textContent()).resolves.toBe('0');

      // The same slug again: the API's 409 shows on the slug field.
      await page.getByTestId('partner-new').click();
      await form.getByTestId('partner-name').fill('Someone Else');
      await form.getByTestId('partner-slug').fill(partner.slug);
      await form.getByTestId('partner-domain').fill(`else-${suffix}.example`);
      await page.getByTestId('partner-create-submit').click();
      await form.getByText(`A partner with slug ${partner.slug} already exists`).waitFor();
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });

      // The list filters by search.
      await page.getByTestId('partners-search').fill(suffix);
      await page.waitForURL((url) => url.searchParams.get('search') === suffix);
      const rows = page.getByTestId('partners-table').locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      const unfiltered = page.waitForResponse((res) => {
        const url = new URL(res.url());
        return url.pathname === '/api/partners' && !url.searchParams.has('search');
      });
      await page.getByTestId('partners-search').fill('');
      await page.waitForURL((url) => !url.searchParams.has('search'));
      // The whole list then replaces the one found, the partner's row moving down: open it once
      // the list shown is the whole one, so the click cannot land on another partner's row.
      const { items } = (await (await unfiltered).json()) as { items: unknown[] };
      await expect.poll(() => rows.count()).toBe(items.length);
      await link.waitFor();

      // Detail: attach the tenant through the server-side search.
      await link.click();
      await page.waitForURL(`${stack.operatorUrl}/partners/${partner.slug}`);
      await expect(page.getByTestId('partner-customers').textContent()).resolves.toBe('0');
      await expect(page.getByTestId('partner-contact-card').textContent()).resolves.toContain(`nora@${partner.domain}`);
      await page.getByTestId('partner-attach').click();
      // The modal lists some tenants at once, and the search's answer replaces them (this one
      // moving to the top): pick once the answer is shown, so the click cannot land on a row that
      // is no longer there.
      const answered = page.waitForResponse((res) => {
        const url = new URL(res.url());
        return url.pathname === '/api/tenants' && url.searchParams.get('search') === tenant.slug;
      });
      await page.getByTestId('attach-search').fill(tenant.slug);
      await answered;
      await expect.poll(() => page.getByTestId('attach-results').getByRole('radio').count()).toBe(1);
      const option = page.getByTestId('attach-results').getByRole('radio', { name: tenant.name });
      await option.waitFor();
      await option.click();
      await page.getByTestId('attach-submit').click();
      await page.getByText('Tenant attached', { exact: true }).waitFor();
      await page.getByTestId('partner-customers').getByText('1', { exact: true }).waitFor();
      await page.getByTestId('partner-customers-table').getByRole('link', { name: tenant.name }).waitFor();
      // MRR: its active subscription (12 × 9 €); margin: 20 % of it.
      await expect(page.getByTestId('partner-mrr').textContent()).resolves.toBe('€108.00');
      await expect(page.getByTestId('partner-margin-amount').textContent()).resolves.toBe('€21.60');
      await fullScreenshot(page, 'operator-partner-detail');

      // The list shows the new customer count.
      await page.getByRole('link', { name: 'Partners', exact: true }).first().click();
      await page.waitForURL(`${stack.operatorUrl}/partners`);
      await page.getByTestId(`partner-customers-${partner.slug}`).getByText('1', { exact: true }).waitFor();
      await fullScreenshot(page, 'operator-partners-list');
      await link.click();
      await page.waitForURL(`${stack.operatorUrl}/partners/${partner.slug}`);

      // Terminate: the button stays disabled until the slug is typed.
      await page.getByTestId('partner-terminate').click();
      const submit = page.getByTestId('partner-terminate-submit');
      await expect(submit.isDisabled()).resolves.toBe(true);
      await page.getByTestId('partner-terminate-confirm').fill('not-the-slug');
      await expect(submit.isDisabled()).resolves.toBe(true);
      await page.getByTestId('partner-terminate-confirm').fill(partner.slug);
      await submit.click();
      await page.getByTestId('partner-terminated-banner').waitFor();
      await expect(page.getByTestId('partner-status').textContent()).resolves.toBe('Terminated');
      await expect(page.getByTestId('partner-attach').isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('partner-terminated-at').textContent()).resolves.toMatch(/UTC/);
      // Its customer stays attached.
      await expect(page.getByTestId('partner-customers').textContent()).resolves.toBe('1');

      // Its audit log: created, the tenant attached, then terminated, all by the administrator (newest first).
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('partner') === partner.slug);
      const actions = page.getByTestId('audit-table').locator('[data-testid^="audit-action-"]');
      await expect.poll(() => actions.allTextContents()).toEqual(['partner.terminate', 'tenant.update', 'partner.create']);
      const actors = await page.getByTestId('audit-table').locator('[data-testid^="audit-actor-"]').allTextContents();
      expect(actors.map((a) => a.trim())).toEqual(['Olivia Operator', 'Olivia Operator', 'Olivia Operator']);

      // The refused duplicate answers 409 on purpose (the browser logs it too).
      expectNoProblems(unexpected(problems, [/HTTP 409: POST .*\/api\/partners$/, /status of 409 \(Conflict\) \(.*\/api\/partners\)$/]));
    } finally {
      await context.close();
    }
  });
});

// The portal's domains: a customer adds a domain, is shown the exact TXT record to publish, checks
// it before and after publishing it (at the stack's DNS server) and sees it verified; removes one.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { dnsZone } from '../src/platform-api.js';
import { api, customerToken, uniqueSuffix, unexpected } from './operator-tenants.api.js';

describe('portal app: domains', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  // admin@dezky.test as a customer: the portal tests count on alice and bob owning no tenant.
  const tenant = { slug: `kiosk-${suffix}`, name: `Kiosk ${suffix.toUpperCase()}` };
  const unicode = `bücher-${suffix}.example`;

  beforeAll(async () => {
    await api(await customerToken(), 'POST', '/tenants', tenant);
  });

  it('adds a domain, shows its TXT record, and verifies it once the record is published', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.portalUrl, USERS.admin);
    try {
      await page.goto(`${stack.portalUrl}/tenants/${tenant.slug}`);
      const card = page.getByTestId('domains');
      await card.getByTestId('domains-empty').waitFor();

      // A slip the form sees at once, and one only the API can judge (it names the value).
      const input = card.getByTestId('domain-input');
      await input.fill('not a domain');
      await card.getByText('Enter a domain such as example.com').waitFor();
      expect(await card.getByTestId('domain-add').isDisabled()).toBe(true);
      await input.fill('shop_front.example');
      await card.getByTestId('domain-add').click();
      await card.getByText('domain "shop_front.example" is not a valid domain name', { exact: false }).waitFor();

      // An international name is shown as written, and stored (and published) in punycode.
      await input.fill(unicode);
      await card.getByTestId('domain-add').click();
      const row = card.locator('[data-testid="domain"][data-status="pending"]');
      await row.waitFor();
      const ascii = (await row.getAttribute('data-domain'))!;
      expect(ascii).toMatch(/^xn--bcher-.+\.example$/);
      await expect(row.getByTestId('domain-name').textContent()).resolves.toContain(unicode);
      await expect(row.getByTestId('domain-status').textContent()).resolves.toBe('Pending verification');
      await expect(row.getByTestId('domain-record-type').textContent()).resolves.toBe('TXT');
      await expect(row.getByTestId('domain-record-name').textContent()).resolves.toContain(ascii);
      const value = (await row.getByTestId('domain-record-value').textContent())!.trim();
      expect(value).toMatch(/^dezky-verification=[A-Za-z0-9_-]{32}$/);
      expect(await input.inputValue()).toBe('');

      // Checked before the record exists (the domain has another TXT record): told exactly what
      // is missing, still pending.
      dnsZone().setTxt(ascii, ['v=spf1 -all']);
      await row.getByTestId('domain-check').click();
      const checkError = row.getByTestId('domain-check-error');
      await checkError.waitFor();
      await expect(checkError.textContent()).resolves.toContain(`No TXT record "${value}" was found on ${ascii} (it has 1 other TXT record)`);
      expect(await row.getAttribute('data-status')).toBe('pending');
      await screenshot(page, 'portal-domain-pending');

      // Published at the domain's DNS: the next check verifies it.
      dnsZone().setTxt(ascii, ['v=spf1 -all', value]);
      await row.getByTestId('domain-check').click();
      await page.getByText('Domain verified', { exact: true }).waitFor();
      const verified = card.locator(`[data-testid="domain"][data-domain="${ascii}"]`);
      await expect.poll(() => verified.getAttribute('data-status')).toBe('verified');
      await expect(verified.getByTestId('domain-status').textContent()).resolves.toBe('Verified');
      expect(await verified.getByTestId('domain-record').count()).toBe(0);
      expect(await verified.getByTestId('domain-check-error').count()).toBe(0);

      // It stays verified.
      await page.reload();
      await expect(card.locator(`[data-testid="domain"][data-domain="${ascii}"]`).getAttribute('data-status')).resolves.toBe('verified');
      await screenshot(page, 'portal-domain-verified');

      // Removing asks once more.
      const removable = card.locator(`[data-testid="domain"][data-domain="${ascii}"]`);
      await removable.getByTestId('domain-remove').click();
      await page.getByRole('dialog', { name: `Remove ${unicode}?` }).waitFor();
      expect(await removable.getAttribute('data-status')).toBe('verified');
      await page.getByTestId('domain-remove-submit').click();
      await page.getByText('Domain removed', { exact: true }).waitFor();
      await card.getByTestId('domains-empty').waitFor();

      // The two refusals above, on purpose.
      expectNoProblems(
        unexpected(problems, [
          /HTTP 400: POST .*\/domains$/,
          /status of 400 \(Bad Request\) \(.*\/domains\)$/,
          /HTTP 422: POST .*\/verify$/,
          /status of 422 \(Unprocessable Entity\) \(.*\/verify\)$/,
        ]),
      );
    } finally {
      await context.close();
    }
  });
});

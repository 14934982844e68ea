// The audit log in the operator app: newest first, filtered by resource type, action and actor;
// each entry opens on what changed, before → after.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, fullScreenshot, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: audit log', () => {
  const browser = sharedBrowser();
  const suffix = uniqueSuffix();
  const slug = `ledger-${suffix}`;
  let partnerId = '';

  beforeAll(async () => {
    const admin = await operatorToken();
    const partner = await api<{ id: string }>(admin, 'POST', '/partners', { slug, name: `Ledger Partners ${suffix.toUpperCase()}`, domain: `${slug}.example`, marginPct: 12 });
    partnerId = partner.id;
    await api(admin, 'PATCH', `/partners/${slug}`, { marginPct: 18, contactInfo: { name: 'Lea Berg', email: `lea@${slug}.example` } });
    await api(admin, 'DELETE', `/partners/${slug}`);
  });

  it("shows a partner's creation, change and termination with the actor, filtered, each with its diff", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/audit`);
      const table = page.getByTestId('audit-table');
      await table.locator('tbody tr').first().waitFor();

      // Filter: partners, by the administrator.
      await page.getByTestId('audit-resource-type').click();
      await page.getByRole('option', { name: 'Partner' }).click();
      await page.waitForURL((url) => url.searchParams.get('resourceType') === 'partner');
      await page.getByTestId('audit-actor').fill('admin@dezky');
      await page.getByText('Enter a whole email address').waitFor();
      // The list keeps showing what it had until the filtered page arrives, and this partner's
      // entries (the newest of all) are on the unfiltered page too: the checks below wait for the
      // page of both filters.
      const filtered = page.waitForResponse((res) => {
        const url = new URL(res.url());
        return url.pathname === '/api/audit' && url.searchParams.get('resourceType') === 'partner' && url.searchParams.get('actorEmail') === 'admin@dezky.test';
      });
      await page.getByTestId('audit-actor').fill('admin@dezky.test');
      await page.waitForURL((url) => url.searchParams.get('actorEmail') === 'admin@dezky.test');
      await filtered;
      // Loaded and shown: its Refresh button spins while a page of the list is on its way.
      await page.locator('[data-testid=audit-refresh]:not([disabled])').waitFor();
      const types = async () => (await table.locator('[data-testid^="audit-resource-"]').allTextContents()).map((t) => t.trim());
      await expect.poll(types).toSatisfy((all: string[]) => all.length > 0 && all.every((t) => t.endsWith('partner')));

      // This partner's three entries, newest first, each by the administrator (by name, email on hover).
      const rows = table.locator('tbody > tr').filter({ hasText: slug });
      await expect.poll(() => rows.locator('[data-testid^="audit-action-"]').allTextContents()).toEqual(['partner.terminate', 'partner.update', 'partner.create']);
      expect((await rows.locator('[data-testid^="audit-actor-"]').allTextContents()).map((a) => a.trim())).toEqual(Array(3).fill('Olivia Operator'));
      expect(await rows.locator('[data-testid^="audit-actor-"]').evaluateAll((els) => els.map((el) => el.getAttribute('title')))).toEqual(Array(3).fill('admin@dezky.test'));
      expect((await types()).every((t) => t.endsWith('partner'))).toBe(true);

      // Only terminations.
      await page.getByTestId('audit-action').click();
      await page.getByRole('option', { name: 'partner.terminate' }).click();
      await page.waitForURL((url) => url.searchParams.get('action') === 'partner.terminate');
      await rows.first().waitFor();
      await expect.poll(() => table.locator('[data-testid^="audit-action-"]').allTextContents()).toSatisfy((all: string[]) => all.length > 0 && all.every((a) => a === 'partner.terminate'));
      await page.getByTestId('audit-action').click();
      await page.getByRole('option', { name: 'All actions' }).click();
      await page.waitForURL((url) => !url.searchParams.has('action'));

      // The update opens on its diff: margin 12 → 18, the contact card filled in.
      await expect.poll(() => rows.count()).toBe(3);
      const ids = await rows.locator('[data-testid^="audit-expand-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('audit-expand-'.length)));
      expect(ids).toHaveLength(3);
      const [terminateId, updateId] = ids as [string, string, string];
      const expandUpdate = page.getByTestId(`audit-expand-${updateId}`);
      await expect(expandUpdate.getAttribute('aria-expanded')).resolves.toBe('false');
      await expandUpdate.click();
      await expect(expandUpdate.getAttribute('aria-expanded')).resolves.toBe('true');
      const updateDiff = page.getByTestId(`audit-diff-${updateId}`);
      const margin = updateDiff.locator('tr[data-field="marginPct"]');
      await expect(margin.getByTestId('audit-diff-before').textContent()).resolves.toBe('12');
      await expect(margin.getByTestId('audit-diff-after').textContent()).resolves.toBe('18');
      await expect(updateDiff.locator('tr[data-field="contactInfo.email"]').getByTestId('audit-diff-after').textContent()).resolves.toBe(`lea@${slug}.example`);

      // And the termination: status active → terminated.
      await page.getByTestId(`audit-expand-${terminateId}`).click();
      const status = page.getByTestId(`audit-diff-${terminateId}`).locator('tr[data-field="status"]');
      await expect(status.getByTestId('audit-diff-before').textContent()).resolves.toBe('active');
      await expect(status.getByTestId('audit-diff-after').textContent()).resolves.toBe('terminated');
      await fullScreenshot(page, 'operator-audit');

      // The partner's own log, as its page links it: exactly its three entries.
      await page.goto(`${stack.operatorUrl}/audit?resourceType=partner&resourceId=${partnerId}`);
      await page.getByTestId('audit-resource-id').waitFor();
      await expect.poll(() => table.locator('[data-testid^="audit-action-"]').allTextContents()).toEqual(['partner.terminate', 'partner.update', 'partner.create']);
      // The chip names the partner, not its id.
      await expect.poll(() => page.getByTestId('audit-resource-id').textContent()).toContain(`Ledger Partners ${suffix.toUpperCase()} (${slug})`);
      await expect(page.getByTestId('audit-resource-id').textContent()).resolves.not.toContain(partnerId);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

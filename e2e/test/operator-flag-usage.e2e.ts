// Flag usage in the operator app: each flag's evaluations (a 14-day line and when it was last
// evaluated), flags potentially stale with why and what to do, their filter, and Keep.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, createTenants, runId } from './operator-flags-api.js';

const DAY = 86_400_000;

describe('operator app: flag usage and potentially stale flags', () => {
  const browser = sharedBrowser();
  const run = runId();
  const used = `e2e_${run}_used`;
  const old = `e2e_${run}_old`;
  let mongo: MongoClient;
  const changedAt = new Date(Date.now() - 45 * DAY);

  beforeAll(async () => {
    const [tenant] = await createTenants(`fu-${run}`, 1);
    await apiOk('POST', '/flags', { key: used, description: 'E2E: evaluated a moment ago' });
    await apiOk('PATCH', `/flags/${used}`, { state: 'on' });
    await apiOk('POST', '/flags', { key: old, description: 'E2E: off for weeks' });
    // As if it had been turned off 45 days ago, and created before that.
    mongo = await MongoClient.connect(stack.mongoUrl);
    await mongo.db().collection('flags').updateOne({ key: old }, { $set: { createdAt: new Date(Date.now() - 60 * DAY), updatedAt: changedAt } });
    for (let i = 0; i < 3; i++) await apiOk('POST', '/flags/evaluate', { tenantSlug: tenant }, 200);
  });
  afterAll(async () => {
    for (const key of [used, old]) await api('DELETE', `/flags/${key}`);
    await mongo?.close();
  });

  it("lists each flag's evaluations, marks the stale ones with why, filters them, and Keep silences one", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags?search=e2e_${run}`);
      const row = (key: string) => page.locator('tr', { has: page.locator(`[data-flag-row="${key}"]`) });
      const usedRow = row(used);
      await usedRow.getByTestId('flag-evaluations').getByText('just now').waitFor();
      // Today's point of the line is the three evaluations made since the flag exists.
      await expect(usedRow.getByTestId('usage-sparkline').getAttribute('aria-label')).resolves.toMatch(/: 3$/);
      await expect(usedRow.getByTestId('flag-stale-badge').count()).resolves.toBe(0);

      const sentence = `Off for everyone since ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(changedAt)}: remove the code behind it, then delete it.`;
      const badge = row(old).getByTestId('flag-stale-badge');
      await badge.waitFor();
      await expect(badge.getAttribute('aria-label')).resolves.toBe(sentence);
      await screenshot(page, 'operator-flags-usage');

      // The filter keeps only what is potentially stale, and the address says so.
      await page.getByTestId('flags-stale-filter').click();
      await page.waitForURL(/[?&]stale=1/);
      await expect(row(used).count()).resolves.toBe(0);
      await row(old).waitFor();
      await screenshot(page, 'operator-flags-stale-filter');

      // The panel says why, and Keep silences it.
      await row(old).click();
      const usage = page.getByTestId('flag-panel').getByTestId('flag-usage');
      await usage.getByTestId('flag-stale').getByText(sentence).waitFor();
      await usage.scrollIntoViewIfNeeded();
      await screenshot(page, 'operator-flag-usage-panel');
      await usage.getByRole('switch', { name: 'Keep this flag' }).click();
      await usage.getByTestId('flag-kept-by').getByText(USERS.admin.name).waitFor();
      await expect(usage.getByTestId('flag-stale').count()).resolves.toBe(0);
      const audit = await apiOk<{ items: { action: string }[] }>('GET', `/audit?resourceType=flag&resourceId=${old}&limit=1`);
      expect(audit.items[0]!.action).toBe('flag.keep');
      await page.getByTestId('flag-panel-close').click();
      await expect(row(old).count()).resolves.toBe(0);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('flags-stale-filter').click();
      await row(used).waitFor();
      await screenshot(page, 'operator-flags-usage-phone');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

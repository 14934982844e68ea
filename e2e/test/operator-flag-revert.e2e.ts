// Revert from history in the operator's flag panel: the dialog shows what going back changes and
// its exact impact, then makes a new version with the old contents, audited as a revert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

describe('operator app: revert a flag from its history', () => {
  const browser = sharedBrowser();
  const key = `e2e_revert_${uniqueSuffix()}`;
  let adminToken = '';

  beforeAll(async () => {
    adminToken = await operatorToken();
    await api(adminToken, 'POST', '/flags', { key, description: 'E2E: reverted from history' }); // v1: off
    await api(adminToken, 'PATCH', `/flags/${key}`, { state: 'targeted', scope: { plans: ['business'] } }); // v2
    await api(adminToken, 'PATCH', `/flags/${key}`, { state: 'rollout', pct: 100, scope: { plans: [] } }); // v3
  });
  afterAll(async () => {
    await api(adminToken, 'DELETE', `/flags/${key}`).catch(() => undefined);
  });

  it('previews the revert to version 2, applies it as version 4 and records it', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags/${key}`);
      // The current version (3) has nothing to revert to; earlier ones do.
      await page.getByTestId('history-revert-2').waitFor();
      await expect(page.getByTestId('history-revert-3').count()).resolves.toBe(0);
      await page.getByTestId('history-revert-2').click();

      const dialog = page.getByRole('dialog', { name: `Revert ${key} to version 2?` });
      await dialog.getByTestId('revert-changes').waitFor();
      await expect(dialog.getByTestId('revert-change-state').textContent()).resolves.toContain('rollouttargeted');
      await expect(dialog.getByTestId('revert-change-plans').textContent()).resolves.toContain('business');
      await dialog.getByText(/of \d+ tenants/).first().waitFor();
      await screenshot(page, 'operator-revert-preview');
      await dialog.getByTestId('revert-submit').click();
      await page.getByText(`${key} reverted`, { exact: true }).waitFor();
      await dialog.waitFor({ state: 'detached' });

      const flag = await api<{ version: number; state: string; scope: { plans: string[] } }>(adminToken, 'GET', `/flags/${key}`);
      expect(flag).toMatchObject({ version: 4, state: 'targeted', scope: { plans: ['business'] } });
      const audit = await api<{ items: { action: string; after: { revertedTo?: number } }[] }>(adminToken, 'GET', `/audit?resourceType=flag&resourceId=${key}&limit=1`);
      expect(audit.items[0]).toMatchObject({ action: 'flag.revert', after: { revertedTo: 2 } });
      // The panel shows the new version, whose history starts with the revert.
      await page.getByTestId('history-revert-3').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

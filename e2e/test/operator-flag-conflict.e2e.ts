// A save refused because someone else changed the flag meanwhile: the panel shows yours beside
// theirs, field by field, and applies yours on top of theirs as a new conditional change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, runId, type Flag } from './operator-flags-api.js';

describe('operator: a conflicting edit', () => {
  const browser = sharedBrowser();
  const key = `e2e_${runId()}_conflict`;

  beforeAll(async () => {
    await apiOk('POST', '/flags', { key, description: 'E2E: edited by two operators' });
  });
  afterAll(async () => {
    await api('DELETE', `/flags/${key}`).catch(() => undefined);
  });

  it('shows theirs beside yours, and applies yours on top of theirs', async () => {
    const opened = await apiOk<Flag>('GET', `/flags/${key}`);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
      const panel = page.getByTestId('flag-panel');
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version="${opened.version}"]`).waitFor();
      await panel.getByTestId('state-on').click();

      // Someone else changes the description behind the panel's back.
      expect((await api<Flag>('PATCH', `/flags/${key}`, { description: 'Reworded by someone else' }, { 'if-match': opened.etag })).status).toBe(200);

      await panel.getByTestId('flag-save').click();
      const conflict = panel.getByTestId('flag-conflict');
      await conflict.getByTestId('conflict-compare').waitFor();
      const stateRow = conflict.getByTestId('conflict-row-state');
      await expect(stateRow.getByTestId('conflict-yours').textContent()).resolves.toBe('on');
      await expect(stateRow.getByTestId('conflict-theirs').textContent()).resolves.toBe('unchanged');
      const descriptionRow = conflict.getByTestId('conflict-row-description');
      await expect(descriptionRow.getByTestId('conflict-yours').textContent()).resolves.toBe('unchanged');
      await expect(descriptionRow.getByTestId('conflict-theirs').textContent()).resolves.toBe('Reworded by someone else');
      // The footer says so too, wherever the panel is scrolled.
      await expect(panel.getByTestId('conflict-footer').textContent()).resolves.toContain('See both versions');
      await screenshot(page, 'operator-flag-conflict');

      await conflict.getByTestId('conflict-apply-mine').click();
      await page.getByText(`${key} saved`, { exact: true }).waitFor();
      await expect(panel.getByTestId('flag-conflict').count()).resolves.toBe(0);
      // Both changes hold: theirs (the description) and mine (the state), as one more version.
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'on', description: 'Reworded by someone else', version: opened.version + 2 });
      await page.locator(`[data-testid=flag-panel][data-version="${opened.version + 2}"]`).waitFor();

      // The one expected failure: the stale PATCH (412) and the browser's console line about it.
      const expected = (p: string) => p.includes('412');
      expectNoProblems(problems.filter((p) => !expected(p)));
    } finally {
      await context.close();
    }
  });
});

// The flag panel never changes a flag by surprise: a percentage that is not a whole number from 0
// to 100 is refused at the field (never rounded or clamped into another one), the kill switch
// offers one Undo wherever it is shown, and an unreachable server is told in a sentence, with Retry.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, expectOnlyProvokedProblems, openAndSignIn, openPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, createTenants, runId, type Flag } from './operator-flags-api.js';

const run = runId();
/** Flags this file creates (deleted at the end). */
const created: string[] = [];

async function createFlag(key: string, change: Partial<Pick<Flag, 'state' | 'pct' | 'scope'>>): Promise<Flag> {
  await apiOk('POST', '/flags', { key, description: `E2E: ${key}` });
  created.push(key);
  return apiOk<Flag>('PATCH', `/flags/${key}`, change);
}

/** Signed in as the administrator, on /flags with the panel of `key` loaded. */
async function openFlagPanel(page: Page, key: string): Promise<void> {
  await openAndSignIn(page, stack.operatorUrl, USERS.admin);
  await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
  await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();
}

describe('operator: flag changes are never a surprise', () => {
  const browser = sharedBrowser();
  beforeAll(async () => {
    await createTenants(`fs-${run}`, 6);
  });
  afterAll(async () => {
    for (const key of created) await api('DELETE', `/flags/${key}`);
  });

  it('refuses a rollout percentage that is not a whole number from 0 to 100, at the field, with Save disabled', async () => {
    const key = `e2e_${run}_pct`;
    await createFlag(key, { state: 'rollout', pct: 40 });
    const { context, page, problems } = await openPage(browser);
    try {
      await openFlagPanel(page, key);
      const panel = page.getByTestId('flag-panel');
      const input = panel.getByTestId('rollout-input');
      const field = panel.getByTestId('rollout-field');
      const save = panel.getByTestId('flag-save');

      for (const typed of ['0.5', '2.5', '12.5', '1,5', '-5', '101', '']) {
        await input.fill('');
        await input.pressSequentially(typed);
        await input.press('Tab');
        // What was typed stays there, refused, and nothing else takes its place.
        await expect(input.inputValue()).resolves.toBe(typed);
        await field.getByText('Enter a whole number from 0 to 100.').waitFor();
        await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
        await expect(save.isDisabled()).resolves.toBe(true);
        await panel.getByTestId('flag-panel-status').getByText('Enter a whole rollout percentage from 0 to 100 to save.').waitFor();
        // No preview of a number that was not typed.
        await panel.getByTestId('impact-waiting').waitFor();
        await expect(panel.getByTestId('impact-preview').count()).resolves.toBe(0);
      }
      await input.fill('12.5');
      await input.press('Tab');
      await screenshot(page, 'operator-flag-pct-refused');

      // A whole number is taken as typed: the preview computes it, Save is offered.
      await input.fill('12');
      await input.press('Tab');
      await field.getByText('Enter a whole number from 0 to 100.').waitFor({ state: 'detached' });
      await page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify({ pct: 12 })}']`).waitFor();
      await expect(save.isDisabled()).resolves.toBe(false);
      await save.click();
      await panel.getByTestId('flag-panel-status').getByText('All changes saved.').waitFor();
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'rollout', pct: 12 });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
  it('offers one Undo per kill switch: undoing from the banner withdraws the toast, undoing from the toast the banner', async () => {
    const key = `e2e_${run}_kill`;
    const before = await createFlag(key, { state: 'rollout', pct: 30 });
    const { context, page, problems } = await openPage(browser);
    try {
      await openFlagPanel(page, key);
      const panel = page.getByTestId('flag-panel');
      const killToast = page.locator('li', { hasText: `${key} is off for every tenant` });
      const restoredToast = page.locator('li', { hasText: `${key} restored` });

      // Undo from the banner: the toast's Undo goes with it, long before the toast would have timed out.
      await panel.getByTestId('kill-switch').click();
      await killToast.getByRole('button', { name: 'Undo', includeHidden: true }).waitFor({ state: 'attached' });
      await panel.getByTestId('kill-banner').getByTestId('kill-undo').click();
      await restoredToast.first().waitFor();
      await expect.poll(() => killToast.count(), { timeout: 3000 }).toBe(0);
      await panel.getByTestId('kill-banner').waitFor({ state: 'detached' });
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'rollout', pct: 30, version: before.version + 2 });
      await page.locator('[data-testid=flag-panel-state][data-state=rollout]').waitFor();

      // Undo from the toast: the banner goes.
      await panel.getByTestId('kill-switch').click();
      await panel.getByTestId('kill-banner').waitFor();
      await killToast.getByRole('button', { name: 'Undo', includeHidden: true }).click();
      await page.locator('[data-testid=flag-panel-state][data-state=rollout]').waitFor();
      await panel.getByTestId('kill-banner').waitFor({ state: 'detached' });
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'rollout', pct: 30, version: before.version + 4 });
      await expect(page.getByText('Undo refused').count()).resolves.toBe(0);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
  it('tells an unreachable server in a sentence, in the toast and the preview, and Retry does the same again', async () => {
    const key = `e2e_${run}_offline`;
    await createFlag(key, { state: 'rollout', pct: 20 });
    const { context, page, problems } = await openPage(browser);
    const UNREACHABLE = 'The server could not be reached. Check your connection and try again.';
    try {
      await openFlagPanel(page, key);
      const panel = page.getByTestId('flag-panel');
      await page.locator('[data-testid=impact-preview][data-status=ready]').waitFor();

      // The preview: its request never reaches the app's server.
      let offline = true;
      await page.route('**/api/flags/*/impact', (route) => (offline ? route.abort('internetdisconnected') : route.fallback()));
      await panel.getByTestId('rollout-preset-50').click();
      const previewError = panel.getByTestId('impact-error');
      await previewError.getByText(UNREACHABLE).waitFor();
      await expect(previewError.textContent()).resolves.not.toMatch(/fetch|\[POST\]|no response/i);
      await screenshot(page, 'operator-flag-preview-offline');
      offline = false;
      await previewError.getByRole('button', { name: 'Retry' }).click();
      await page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify({ pct: 50 })}']`).waitFor();

      // The save: the toast says what happened, and Retry saves.
      let saveOffline = true;
      await page.route(`**/api/flags/${key}`, (route) => (saveOffline && route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.fallback()));
      await panel.getByTestId('flag-save').click();
      const toast = page.locator('li', { hasText: 'Not saved' });
      await toast.getByText(UNREACHABLE).waitFor();
      await expect(toast.textContent()).resolves.not.toMatch(/fetch|\[PATCH\]|no response/i);
      await screenshot(page, 'operator-flag-save-offline');
      saveOffline = false;
      await toast.getByRole('button', { name: 'Retry', includeHidden: true }).click();
      await panel.getByTestId('flag-panel-status').getByText('All changes saved.').waitFor();
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'rollout', pct: 50 });

      // The kill switch too (its own request: POST …/kill).
      let killOffline = true;
      await page.route(`**/api/flags/${key}/kill`, (route) => (killOffline ? route.abort('internetdisconnected') : route.fallback()));
      await panel.getByTestId('kill-switch').click();
      const killToast = page.locator('li', { hasText: 'Kill switch failed' });
      await killToast.getByText(UNREACHABLE).waitFor();
      killOffline = false;
      await killToast.getByRole('button', { name: 'Retry', includeHidden: true }).click();
      await page.locator('[data-testid=flag-panel-state][data-state=off]').waitFor();
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'off', pct: 0 });

      // Expected: the requests cut off on purpose (and the browser's console lines about them).
      const expected = (p: string) => p.includes('ERR_INTERNET_DISCONNECTED');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
});

// The session ends in the middle of an edit in the flag panel: the panel says so and offers to sign
// in again, nothing asks to discard anything, and the draft comes back after signing in, on the
// flag it was made against. Saved then under its original If-Match, it is applied when nobody
// changed the flag meanwhile, and refused into the conflict view when someone did.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBrowser, expectNoProblems, openAndSignIn, openPage, screenshot, sessionCookie, stack, USERS } from '../src/browser.js';
import { api, apiOk, runId, type Flag } from './operator-flags-api.js';

const run = runId();
const created: string[] = [];
/** Where the panel keeps a draft while the session is gone (apps/operator/app/utils/flag-draft-stash.ts). */
const STASH = 'dezky-operator.flag-draft';

async function createFlag(key: string): Promise<Flag> {
  await apiOk('POST', '/flags', { key, description: `E2E: ${key}` });
  created.push(key);
  return apiOk<Flag>('GET', `/flags/${key}`);
}

/** The session cookie goes, as when the session expires: the browser no longer sends one. */
async function endSession(context: BrowserContext): Promise<void> {
  await context.clearCookies({ name: 'nuxt-session-operator' });
  expect(await sessionCookie(context, 'operator')).toBeUndefined();
}

/** The panel says the session ended, in place: no dialog, the page and its sidebar still there. */
async function expectSessionEnded(page: Page, key: string): Promise<void> {
  const panel = page.getByTestId('flag-panel');
  const notice = panel.getByTestId('session-ended');
  await notice.getByText('Your session ended; sign in again to save').waitFor();
  await notice.getByTestId('session-sign-in').waitFor();
  // The footer says it too, and offers the sign-in in place of Save.
  await expect(panel.getByTestId('flag-save').count()).resolves.toBe(0);
  await panel.getByTestId('session-sign-in-footer').waitFor();
  await expect(panel.getByTestId('session-footer').innerText()).resolves.toBe('Your session ended; sign in again to save.');
  await expect(page.getByRole('dialog', { name: 'Discard unsaved changes?' }).count()).resolves.toBe(0);
  await expect(page.getByTestId('confirm-modal').count()).resolves.toBe(0);
  await expect(page.getByText('Unauthorized').count()).resolves.toBe(0);
  await expect(page.getByTestId('sidebar').isVisible()).resolves.toBe(true);
  const url = new URL(page.url());
  expect([url.pathname, url.searchParams.get('key')]).toEqual(['/flags', key]);
}

/** What the tab keeps: the draft and the flag it was made against. */
async function stashed(page: Page): Promise<{ flag: Flag; draft: Record<string, unknown> } | null> {
  const text = await page.evaluate((name) => sessionStorage.getItem(name), STASH);
  return text ? (JSON.parse(text) as { flag: Flag; draft: Record<string, unknown> }) : null;
}

/** Back from the sign-in on the flags page, with the panel of `key` open and its draft restored. */
async function backWithDraft(page: Page, key: string, version: number): Promise<void> {
  await page.waitForURL((url) => url.origin === stack.operatorUrl && url.pathname === '/flags' && url.searchParams.get('key') === key);
  await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version="${version}"]`).waitFor();
  await page.getByTestId('draft-restored').getByText('Your unsaved changes were restored').waitFor();
  expect(await stashed(page)).toBeNull();
}

/** The expected failures: the calls made without a session (401), the stale save (412), and the console lines about them. */
const expected = (problem: string) => /\b(401|412)\b/.test(problem);

let browser: Browser;

interface OnPanel {
  context: BrowserContext;
  page: Page;
  key: string;
  /** The flag as the panel opened it. */
  opened: Flag;
}

/**
 * A new flag, its panel open for the administrator, then `body`; afterwards the page may have had
 * the expected failures only.
 */
async function onNewFlag(name: string, body: (on: OnPanel) => Promise<void>): Promise<void> {
  const key = `e2e_${run}_${name}`;
  const opened = await createFlag(key);
  const { context, page, problems } = await openPage(browser);
  try {
    await openAndSignIn(page, stack.operatorUrl, USERS.admin);
    await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
    await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version="${opened.version}"]`).waitFor();
    await body({ context, page, key, opened });
    expect(problems.filter(expected).length).toBeGreaterThan(0);
    expectNoProblems(problems.filter((p) => !expected(p)));
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await Promise.all(created.map((key) => api('DELETE', `/flags/${key}`)));
  await browser?.close();
});

describe('operator: the session ends while a flag is being edited', () => {
  it('keeps the draft through signing in again, and saves it then', async () => {
    await onNewFlag('session', async ({ context, page, key, opened }) => {
      const panel = page.getByTestId('flag-panel');
      await panel.getByTestId('state-rollout').click();
      await panel.getByTestId('rollout-preset-25').click();
      await panel.getByTestId('flag-description-input').fill('E2E: edited across a sign-in');
      await page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify({ state: 'rollout', pct: 25 })}']`).waitFor();
      await panel.getByTestId('state-control').scrollIntoViewIfNeeded();
      await screenshot(page, 'operator-flag-panel');

      // The app's session and the IdP's are both over, as after a long absence.
      await endSession(context);
      await context.clearCookies({ name: /^dev-idp\./ });
      await panel.getByTestId('flag-save').click();
      await expectSessionEnded(page, key);
      await expect(panel.getByTestId('session-ended').textContent()).resolves.toContain('Your changes are kept in this tab');
      // Nothing was saved, and the tab keeps the draft with the version and ETag it was made on.
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'off', version: opened.version });
      expect(await stashed(page)).toMatchObject({
        flag: { key, version: opened.version, etag: opened.etag },
        draft: { state: 'rollout', pct: 25, description: 'E2E: edited across a sign-in' },
      });
      // The footer's sentence brings the notice into view, wherever the panel is scrolled.
      await panel.getByTestId('session-footer').click();
      await page.waitForFunction(() => {
        const top = document.querySelector('[data-testid=session-ended]')?.getBoundingClientRect().top;
        return top !== undefined && top >= 0 && top < 200;
      });
      await screenshot(page, 'operator-flag-session-ended');

      // Sign in again through the IdP's form: back on the flag, the draft applied and said to be restored.
      await panel.getByTestId('session-sign-in').click();
      await page.waitForURL((url) => url.origin === stack.idpBaseUrl);
      await page.locator('input[name=login]').fill(USERS.admin.login);
      await page.locator('input[name=password]').fill(USERS.admin.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await backWithDraft(page, key, opened.version);
      await expect(panel.getByTestId('state-rollout').getAttribute('aria-checked')).resolves.toBe('true');
      await expect(panel.getByTestId('rollout-input').inputValue()).resolves.toBe('25');
      await expect(panel.getByTestId('flag-description-input').inputValue()).resolves.toBe('E2E: edited across a sign-in');
      await expect(panel.getByTestId('flag-panel-status').textContent()).resolves.toContain('Unsaved: state rollout, 25%, description');
      await page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify({ state: 'rollout', pct: 25 })}']`).waitFor();
      await screenshot(page, 'operator-flag-draft-restored');

      const save = page.waitForRequest((req) => req.method() === 'PATCH' && req.url() === `${stack.operatorUrl}/api/flags/${key}`);
      await panel.getByTestId('flag-save').click();
      expect((await save).headers()['if-match']).toBe(opened.etag);
      await panel.getByTestId('flag-panel-status').getByText('All changes saved.').waitFor();
      await expect(panel.getByTestId('draft-restored').count()).resolves.toBe(0);
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({
        state: 'rollout',
        pct: 25,
        description: 'E2E: edited across a sign-in',
        version: opened.version + 1,
      });
    });
  });

  it('a background preview finds the session over; the restored draft meets a change made meanwhile in the conflict view', async () => {
    await onNewFlag('session_conflict', async ({ context, page, key, opened }) => {
      const panel = page.getByTestId('flag-panel');
      await panel.getByTestId('state-on').click();
      await page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify({ state: 'on' })}']`).waitFor();

      // Only the app's session ends (the IdP's goes on): the next preview is the first call refused.
      await endSession(context);
      const preview = page.waitForResponse((res) => res.url() === `${stack.operatorUrl}/api/flags/${key}/impact`);
      await panel.getByTestId('scope-plan-enterprise').click();
      expect((await preview).status()).toBe(401);
      await expectSessionEnded(page, key);
      await panel.getByTestId('impact-waiting').getByText('No preview until you sign in again.').waitFor();

      // Meanwhile someone else changes the flag.
      expect((await api<Flag>('PATCH', `/flags/${key}`, { description: 'Reworded while you were away' }, { 'if-match': opened.etag })).status).toBe(200);

      // Signing in again (from the footer) goes through the IdP without a form: its session is still on.
      await panel.getByTestId('session-sign-in-footer').click();
      await backWithDraft(page, key, opened.version);
      await expect(panel.getByTestId('state-on').getAttribute('aria-checked')).resolves.toBe('true');
      await expect(panel.getByTestId('scope-plan-enterprise').getAttribute('aria-pressed')).resolves.toBe('true');

      // Saved under the ETag it was drafted on: refused, and shown beside theirs; nothing overwritten.
      await panel.getByTestId('flag-save').click();
      const conflict = panel.getByTestId('flag-conflict');
      await conflict.getByTestId('conflict-compare').waitFor();
      await expect(conflict.getByTestId('conflict-row-state').getByTestId('conflict-yours').textContent()).resolves.toBe('on');
      await expect(conflict.getByTestId('conflict-row-scope.plans').getByTestId('conflict-yours').textContent()).resolves.toBe('enterprise');
      const description = conflict.getByTestId('conflict-row-description');
      await expect(description.getByTestId('conflict-yours').textContent()).resolves.toBe('unchanged');
      await expect(description.getByTestId('conflict-theirs').textContent()).resolves.toBe('Reworded while you were away');
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({
        state: 'off',
        scope: { plans: [] },
        description: 'Reworded while you were away',
        version: opened.version + 1,
      });
      await screenshot(page, 'operator-flag-session-conflict');

      // Applying mine on top of theirs keeps both.
      await conflict.getByTestId('conflict-apply-mine').click();
      await page.getByText(`${key} saved`, { exact: true }).waitFor();
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({
        state: 'on',
        scope: { plans: ['enterprise'] },
        description: 'Reworded while you were away',
        version: opened.version + 2,
      });
    });
  });
});

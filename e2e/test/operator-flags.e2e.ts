// The operator's flag screens against the real stack: the list, the detail panel (rollout with the
// exact impact preview, save with If-Match, history), the kill switch and its undo, a stale edit
// (412), and creating and deleting a flag. Seed flags changed here are restored afterwards.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, expectOnlyProvokedProblems, openAndSignIn, openPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, createTenants, openPalette, runId, type Flag, type FlagImpact } from './operator-flags-api.js';

const SEED_FLAGS = [
  'jmap_native_v2',
  'gdpr_export_v2',
  'new_billing_engine',
  'calendar_sharing_v2',
  'shared_mailboxes',
  'mail_retention_policies',
  'sso_enforcement',
  'partner_billing_statements',
  'audit_log_export',
  'webmail_dark_mode',
];

const run = runId();
/** Flags this file creates (deleted at the end). */
const created: string[] = [];
let tenants: string[] = [];

async function createFlag(key: string, description: string, change?: Partial<Pick<Flag, 'state' | 'pct' | 'scope'>>): Promise<Flag> {
  await apiOk('POST', '/flags', { key, description });
  created.push(key);
  return change ? apiOk<Flag>('PATCH', `/flags/${key}`, change) : apiOk<Flag>('GET', `/flags/${key}`);
}

/** The flag panel for `key`, loaded. */
async function openPanel(page: Page, key: string): Promise<void> {
  await page.getByTestId('flags-table').locator(`[data-flag-row="${key}"]`).click();
  await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('key') === key);
  await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();
}

/** Waits until the impact preview shows the numbers of exactly this draft. */
async function settledImpact(page: Page, draft: object): Promise<{ after: number; total: number }> {
  const preview = page.locator(`[data-testid=impact-preview][data-status=ready][data-draft='${JSON.stringify(draft)}']`);
  await preview.waitFor();
  return {
    after: Number(await preview.getByTestId('impact-after').textContent()),
    total: Number(await preview.getByTestId('impact-total').textContent()),
  };
}

async function signedInOnFlags(page: Page, query = ''): Promise<void> {
  await openAndSignIn(page, stack.operatorUrl, USERS.admin);
  await page.goto(`${stack.operatorUrl}/flags${query}`);
  await page.getByTestId('flags-table').locator('[data-flag-row]').first().waitFor();
}

describe('operator: feature flags', () => {
  const browser = sharedBrowser();
  beforeAll(async () => {
    // Enough tenants, across plans, that "N of M tenants" means something.
    tenants = await createTenants(`ff-${run}`, 24);
    // A targeted and a rolling-out flag, so the list shows targeting at a glance.
    await createFlag(`e2e_${run}_targeted`, 'E2E: targeted at two tenants on the business plan', {
      state: 'targeted',
      scope: { plans: ['business'], tenantSlugs: tenants.slice(0, 2), partnerSlugs: [], environments: [] },
    });
    await createFlag(`e2e_${run}_rollout`, 'E2E: rolling out in test and production', {
      state: 'rollout',
      pct: 40,
      scope: { plans: ['business', 'enterprise'], tenantSlugs: [], partnerSlugs: [], environments: ['test', 'production'] },
    });
  });
  afterAll(async () => {
    for (const key of created) await api('DELETE', `/flags/${key}`);
  });

  it('lists the seed flags with state, rollout, targeting and last change, and filters them', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page);
      const table = page.getByTestId('flags-table');
      for (const key of SEED_FLAGS) await table.locator(`[data-flag-row="${key}"]`).waitFor();
      expect(await table.getByTestId('flag-key').allTextContents()).toEqual(expect.arrayContaining(SEED_FLAGS));

      // One row: state badge, targeting chips, last change (who/when from history[0]).
      const row = table.locator('tr', { has: page.locator(`[data-flag-row="e2e_${run}_rollout"]`) });
      await expect(row.getByTestId('flag-state').getAttribute('data-state')).resolves.toBe('rollout');
      await expect(row.getByTestId('flag-pct').textContent()).resolves.toContain('40%');
      const scope = await row.getByTestId('flag-scope').textContent();
      expect(scope).toContain('plans: business, enterprise');
      expect(scope).toContain('env: test, production');
      await expect.poll(() => row.getByTestId('flag-last-change').textContent()).toMatch(/Olivia Operator/);
      const targeted = table.locator('tr', { has: page.locator(`[data-flag-row="e2e_${run}_targeted"]`) });
      await expect(targeted.getByTestId('flag-scope').textContent()).resolves.toContain('2 tenants');

      // The navigation shell: sidebar with the sections, the user menu, the colour-mode toggle.
      const nav = page.getByTestId('sidebar-nav');
      for (const label of ['Flags', 'Partners', 'Tenants', 'Audit']) await nav.getByRole('link', { name: label }).waitFor();
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe(USERS.admin.name);
      await screenshot(page, 'operator-flags-list');

      // Search by key or description, then by state.
      await page.getByTestId('flags-search').fill('gdpr');
      await expect(table.getByTestId('flag-key').allTextContents()).resolves.toEqual(['gdpr_export_v2']);
      await page.getByTestId('flags-search').fill('no-such-flag');
      await page.getByTestId('flags-empty').getByText('No flag matches').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByTestId('flags-state-filter').getByRole('tab', { name: /Rollout/ }).click();
      const keys = await table.getByTestId('flag-key').allTextContents();
      expect(keys).toContain(`e2e_${run}_rollout`);
      expect(keys).not.toContain(`e2e_${run}_targeted`);

      // Dark mode: the list and a panel.
      await page.getByTestId('flags-state-filter').getByRole('tab', { name: /All/ }).click();
      await page.getByTestId('color-mode-toggle').click();
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      await screenshot(page, 'operator-flags-list-dark');
      await openPanel(page, `e2e_${run}_rollout`);
      await settledImpact(page, {});
      await screenshot(page, 'operator-flag-panel-dark');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('rolls gdpr_export_v2 out at 25%: the preview equals the API impact, the save persists and is in the history', async () => {
    const original = await apiOk<Flag>('GET', '/flags/gdpr_export_v2');
    // Start from off, whatever another test file left, and put it back afterwards.
    const start = original.state === 'off' && original.pct === 0 ? original : await apiOk<Flag>('PATCH', '/flags/gdpr_export_v2', { state: 'off', pct: 0 });
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page);
      await openPanel(page, 'gdpr_export_v2');
      const panel = page.getByTestId('flag-panel');
      await expect(panel.getByTestId('flag-save').isDisabled()).resolves.toBe(true);

      // State rollout, then 25% with the slider's keyboard (Home → 0, PageUp ×2 → 20, → ×5 → 25).
      await panel.getByTestId('state-rollout').click();
      await expect(panel.getByTestId('state-rollout').getAttribute('aria-checked')).resolves.toBe('true');
      const thumb = panel.getByTestId('rollout-slider').getByRole('slider');
      await thumb.focus();
      await thumb.press('Home');
      for (let i = 0; i < 2; i++) await thumb.press('PageUp');
      for (let i = 0; i < 5; i++) await thumb.press('ArrowRight');
      await expect(thumb.getAttribute('aria-valuenow')).resolves.toBe('25');
      await expect(panel.getByTestId('rollout-input').inputValue()).resolves.toBe('25');

      // The preview's "N of M" is exactly what the API computes for the same draft.
      const draft = { state: 'rollout', pct: 25 };
      const shown = await settledImpact(page, draft);
      const expected = await apiOk<FlagImpact>('POST', '/flags/gdpr_export_v2/impact', draft, 200);
      expect(shown).toEqual({ after: expected.after, total: expected.total });
      expect(expected.total).toBeGreaterThanOrEqual(tenants.length);
      await expect(panel.getByTestId('impact-count').textContent()).resolves.toBe(`${expected.after} of ${expected.total} tenants`);
      await expect(panel.getByTestId('impact-gained-toggle').textContent()).resolves.toContain(`${expected.gainedCount} gain the flag`);
      if (expected.gainedCount) {
        await panel.getByTestId('impact-gained-toggle').click();
        const gained = (await panel.getByTestId('impact-gained').locator('.font-mono').allTextContents()).map((s) => s.trim());
        expect(gained).toEqual(expected.gained);
      }
      await expect(panel.getByTestId('flag-panel-status').textContent()).resolves.toContain('Unsaved');
      await screenshot(page, 'operator-flag-panel');

      // Save: PATCH with If-Match; the panel shows the new version and a history entry.
      await panel.getByTestId('flag-save').click();
      await panel.getByTestId('flag-panel-status').getByText('All changes saved.').waitFor();
      await page.locator(`[data-testid=flag-panel][data-version="${start.version + 1}"]`).waitFor();
      const saved = await apiOk<Flag>('GET', '/flags/gdpr_export_v2');
      expect(saved).toMatchObject({ state: 'rollout', pct: 25, version: start.version + 1 });
      expect(saved.history[0]).toMatchObject({
        actor: USERS.admin.login,
        changes: { state: { from: 'off', to: 'rollout' }, pct: { from: 0, to: 25 } },
      });
      const entry = panel.getByTestId('history-entry').first();
      // One name per person: the display name, with the email on hover.
      const actor = entry.getByTestId('history-actor');
      await actor.getByText(USERS.admin.name, { exact: true }).waitFor();
      await expect(actor.getAttribute('title')).resolves.toBe(USERS.admin.login);
      await expect(entry.locator('[data-field=state]').textContent()).resolves.toMatch(/off\s*rollout/);
      await expect(entry.locator('[data-field=pct]').textContent()).resolves.toMatch(/0%\s*25%/);

      // It persists: a reload of the same address shows the saved flag.
      await page.reload();
      await page.locator('[data-testid=flag-panel][data-flag="gdpr_export_v2"][data-version]').waitFor();
      await expect(page.getByTestId('state-rollout').getAttribute('aria-checked')).resolves.toBe('true');
      await expect(page.getByTestId('rollout-input').inputValue()).resolves.toBe('25');
      await expect(page.getByTestId('flag-save').isDisabled()).resolves.toBe(true);
      expectNoProblems(problems);
    } finally {
      await context.close();
      await api('PATCH', '/flags/gdpr_export_v2', { state: original.state, pct: original.pct, scope: original.scope, description: original.description });
    }
  });

  it('previews a change reaching more than 100 tenants: exact counts, the first 100 slugs, "and N more", the next page on request', async () => {
    const key = `e2e_${run}_wide`;
    await createFlag(key, 'E2E: a flag about to be turned on for everyone');
    const draft = { state: 'on' };
    // More tenants than one page of slugs holds, whatever the other files created.
    const { total } = await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, draft, 200);
    if (total < 130) await createTenants(`ffw-${run}`, 130 - total);
    const expected = await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, draft, 200);
    expect(expected).toMatchObject({ before: 0, after: expected.total, gainedCount: expected.total, lostCount: 0 });
    expect(expected.gained).toHaveLength(100);
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page);
      await openPanel(page, key);
      const panel = page.getByTestId('flag-panel');
      await panel.getByTestId('state-on').click();
      const shown = await settledImpact(page, draft);
      expect(shown).toEqual({ after: expected.total, total: expected.total });
      await expect(panel.getByTestId('impact-gained-toggle').textContent()).resolves.toContain(`${expected.gainedCount.toLocaleString('en-US')} gain the flag`);
      await expect(panel.getByTestId('impact-lost-toggle').isDisabled()).resolves.toBe(true);

      await panel.getByTestId('impact-gained-toggle').click();
      const list = panel.getByTestId('impact-gained');
      const slugs = async () => (await list.locator('.font-mono').allTextContents()).map((s) => s.trim());
      await expect(slugs()).resolves.toEqual(expected.gained);
      await expect(list.getByTestId('impact-gained-more').textContent()).resolves.toContain(`and ${expected.gainedCount - 100} more`);
      await list.scrollIntoViewIfNeeded();
      await screenshot(page, 'operator-flag-impact-more');

      // The next page: the API's slugs 100..199, after the first 100, none twice.
      const next = await apiOk<FlagImpact>('POST', `/flags/${key}/impact?list=gained&offset=100&limit=100`, draft, 200);
      await list.getByTestId('impact-gained-load-more').click();
      await expect.poll(async () => (await slugs()).length).toBe(100 + next.gained.length);
      const all = await slugs();
      expect(all).toEqual([...expected.gained, ...next.gained]);
      expect(new Set(all).size).toBe(all.length);
      if (expected.gainedCount > all.length) {
        await expect(list.getByTestId('impact-gained-more').textContent()).resolves.toContain(`and ${expected.gainedCount - all.length} more`);
      } else {
        await list.getByTestId('impact-gained-more').waitFor({ state: 'detached' });
      }
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('targets plans and tenants (searched on the server) with the chip pickers', async () => {
    const key = `e2e_${run}_targeted`;
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page, `?key=${key}`);
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();
      const panel = page.getByTestId('flag-panel');
      const picked = tenants[5]!;

      await panel.getByTestId('scope-plan-enterprise').click();
      await expect(panel.getByTestId('scope-plan-enterprise').getAttribute('aria-pressed')).resolves.toBe('true');
      const picker = panel.getByTestId('scope-tenants');
      await picker.click();
      // Until the server answers the search the menu filters what it had; its answer then lists
      // the tenants already chosen first, which moves the option: a click meanwhile can land on
      // another one (and unpick it). Pick once the answer is shown.
      const answered = page.waitForResponse((res) => {
        const url = new URL(res.url());
        return url.pathname === '/api/tenants' && url.searchParams.get('search') === picked;
      });
      await picker.fill(picked);
      await answered;
      await page.getByRole('option', { name: new RegExp(tenants[0]!) }).waitFor();
      await page.getByRole('option', { name: new RegExp(picked) }).click();
      await page.keyboard.press('Escape');

      const draft = { scope: { plans: ['business', 'enterprise'], tenantSlugs: [...tenants.slice(0, 2), picked] } };
      const shown = await settledImpact(page, draft);
      const expected = await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, draft, 200);
      expect(shown).toEqual({ after: expected.after, total: expected.total });

      await panel.getByTestId('flag-save').click();
      await panel.getByTestId('flag-panel-status').getByText('All changes saved.').waitFor();
      const saved = await apiOk<Flag>('GET', `/flags/${key}`);
      expect(saved.scope).toMatchObject({ plans: ['business', 'enterprise'], tenantSlugs: [...tenants.slice(0, 2), picked] });
      const entry = panel.getByTestId('history-entry').first();
      await expect(entry.locator('[data-field="scope.plans"]').textContent()).resolves.toContain('+ enterprise');
      await expect(entry.locator('[data-field="scope.tenantSlugs"]').textContent()).resolves.toContain(`+ ${picked}`);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('turns a flag off in one click with the kill switch, and Undo restores it', async () => {
    const key = `e2e_${run}_kill`;
    const before = await createFlag(key, 'E2E: kill switch', {
      state: 'rollout',
      pct: 40,
      scope: { plans: ['business'], tenantSlugs: [], partnerSlugs: [], environments: [] },
    });
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page, `?key=${key}`);
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version="${before.version}"]`).waitFor();
      const panel = page.getByTestId('flag-panel');

      // One click, no confirmation.
      await panel.getByTestId('kill-switch').click();
      await page.getByText(`${key} is off for every tenant`).first().waitFor();
      const killed = await apiOk<Flag>('GET', `/flags/${key}`);
      expect(killed).toMatchObject({ state: 'off', pct: 0, version: before.version + 1 });
      expect(killed.history[0]?.changes).toEqual({ state: { from: 'rollout', to: 'off' }, pct: { from: 40, to: 0 } });
      await expect(page.getByTestId('flag-panel-state').getAttribute('data-state')).resolves.toBe('off');
      await expect(page.getByTestId('kill-switch').isDisabled()).resolves.toBe(true);
      // The list behind the panel follows.
      const row = page.getByTestId('flags-table').locator('tr', { has: page.locator(`[data-flag-row="${key}"]`) });
      await row.locator('[data-testid=flag-state][data-state=off]').waitFor({ state: 'attached' });

      // The panel offers Undo too (for assistive technology the toast is outside the modal panel).
      await panel.getByTestId('kill-banner').getByTestId('kill-undo').waitFor();
      await page.locator('[data-testid=flag-panel-state][data-state=off]').waitFor();
      // Undo from the toast: state, pct and scope as they were.
      await page.locator('li', { hasText: `${key} is off for every tenant` }).getByRole('button', { name: 'Undo', includeHidden: true }).click();
      await page.getByText(`${key} restored`).first().waitFor();
      const restored = await apiOk<Flag>('GET', `/flags/${key}`);
      expect(restored).toMatchObject({ state: 'rollout', pct: 40, scope: { plans: ['business'] }, version: before.version + 2 });
      await page.locator('[data-testid=flag-panel-state][data-state=rollout]').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('refuses a stale save with the conflict message and reloads the latest version on request', async () => {
    const key = `e2e_${run}_stale`;
    const opened = await createFlag(key, 'E2E: stale edit');
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page, `?key=${key}`);
      const panel = page.getByTestId('flag-panel');
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version="${opened.version}"]`).waitFor();
      await panel.getByTestId('state-on').click();

      // Someone else changes the flag through the API behind the panel's back.
      const behind = await api<Flag>('PATCH', `/flags/${key}`, { description: 'Changed by someone else' }, { 'if-match': opened.etag });
      expect(behind.status).toBe(200);

      await panel.getByTestId('flag-save').click();
      const conflict = panel.getByTestId('flag-conflict');
      await conflict.waitFor();
      await expect(conflict.textContent()).resolves.toContain('Someone else changed this flag');
      await conflict.getByText('changed description').waitFor();
      await expect(panel.getByTestId('flag-save').isDisabled()).resolves.toBe(true);
      // Nothing was overwritten.
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ state: 'off', description: 'Changed by someone else', version: opened.version + 1 });

      // Reload: the latest version, the unsaved change gone (as the message said).
      await conflict.getByTestId('conflict-reload').click();
      await page.locator(`[data-testid=flag-panel][data-version="${opened.version + 1}"]`).waitFor();
      await expect(panel.getByTestId('flag-conflict').count()).resolves.toBe(0);
      await expect(panel.getByTestId('flag-description-input').inputValue()).resolves.toBe('Changed by someone else');
      await expect(panel.getByTestId('state-off').getAttribute('aria-checked')).resolves.toBe('true');
      await expect(panel.getByTestId('flag-save').isDisabled()).resolves.toBe(true);

      // The one expected failure: the stale PATCH (412) and the browser's console line about it.
      const expected = (p: string) => p.includes('412');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });

  it('asks before closing a panel with unsaved changes', async () => {
    const key = `e2e_${run}_rollout`;
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page, `?key=${key}`);
      const panel = page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`);
      await panel.waitFor();
      await panel.getByTestId('rollout-preset-50').click();
      await panel.getByTestId('flag-panel-close').click();
      const confirm = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
      await confirm.getByRole('button', { name: 'Keep editing' }).click();
      await expect(panel.isVisible()).resolves.toBe(true);
      expect(new URL(page.url()).searchParams.get('key')).toBe(key);

      await panel.getByTestId('flag-panel-close').click();
      await page.getByRole('dialog', { name: 'Discard unsaved changes?' }).getByRole('button', { name: 'Discard changes' }).click();
      await page.waitForURL((url) => url.pathname === '/flags' && !url.searchParams.has('key'));
      await panel.waitFor({ state: 'detached' });
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ pct: 40 });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('creates a flag (validated like the API, 409 on a taken key), finds it in the palette, and deletes it', async () => {
    const key = `e2e_${run}_new`;
    const { context, page, problems } = await openPage(browser);
    try {
      await signedInOnFlags(page);
      await page.getByTestId('new-flag').click();
      const form = page.getByTestId('create-flag-form');
      await form.waitFor();

      // Inline validation, as the API's pattern ^[a-z][a-z0-9_]{2,63}$.
      await form.getByTestId('create-flag-key').fill('Bad-Key');
      await page.getByTestId('create-flag-submit').click();
      await form.getByText('Start with a lowercase letter.').waitFor();
      await form.getByText('Describe what the flag gates.').waitFor();
      await form.getByTestId('create-flag-key').fill('ab');
      await form.getByText('Use at least 3 characters.').waitFor();

      // A taken key: the API's 409 is shown on the field.
      await form.getByTestId('create-flag-key').fill('jmap_native_v2');
      await form.getByTestId('create-flag-description').fill('Created by the browser test');
      await page.getByTestId('create-flag-submit').click();
      await form.getByText('A flag with this key exists.').waitFor();

      await form.getByTestId('create-flag-key').fill(key);
      await page.getByTestId('create-flag-submit').click();
      created.push(key);
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();
      await page.getByText('Flag created').first().waitFor();
      await expect(apiOk<Flag>('GET', `/flags/${key}`)).resolves.toMatchObject({ key, state: 'off', description: 'Created by the browser test' });
      await page.getByTestId('flag-panel-close').click();
      await page.waitForURL((url) => !url.searchParams.has('key'));

      // The palette loads flags when it opens: the new one is there at once.
      await openPalette(page);
      await page.keyboard.type(key);
      const option = page.getByTestId('command-palette').getByRole('option', { name: new RegExp(key) });
      await option.waitFor();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/flags' && url.searchParams.get('key') === key);
      await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();

      // Delete: confirm by typing the key.
      await page.getByTestId('flag-panel-menu').click();
      await page.getByRole('menuitem', { name: 'Delete flag…' }).click();
      const confirm = page.getByTestId('delete-flag-form');
      await expect(page.getByTestId('delete-flag-submit').isDisabled()).resolves.toBe(true);
      await confirm.getByTestId('delete-flag-confirm').fill(key);
      await page.getByTestId('delete-flag-submit').click();
      await page.getByText(`${key} deleted`).first().waitFor();
      await page.waitForURL((url) => !url.searchParams.has('key'));
      await page.getByTestId('flags-table').locator(`[data-flag-row="${key}"]`).waitFor({ state: 'detached' });
      expect((await api('GET', `/flags/${key}`)).status).toBe(404);

      // Expected: the API's 409 for the taken key (and the browser's console line about it).
      const expected = (p: string) => p.includes('409');
      expectOnlyProvokedProblems(problems, expected);
    } finally {
      await context.close();
    }
  });
});

// A planned ramp in the operator's flag panel: steps with their exact impact over today's tenants
// (the numbers the API's preview and impact routes give), saved with a first step applied at once,
// then paused, resumed and cancelled; and a plan that someone's change paused, with the reason.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openAndSignIn, openPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, apiOk, createTenants, runId, type Flag, type FlagImpact } from './operator-flags-api.js';
import type { FlagScheduleAnswer } from '@dezky/contracts';

const run = runId();
const created: string[] = [];
const SCHEDULER = 'scheduler (planned by admin@dezky.test)';

async function createFlag(key: string): Promise<Flag> {
  await apiOk('POST', '/flags', { key, description: `E2E: ${key}` });
  created.push(key);
  return apiOk<Flag>('GET', `/flags/${key}`);
}

async function openFlagPanel(page: Page, key: string): Promise<void> {
  await openAndSignIn(page, stack.operatorUrl, USERS.admin);
  await page.goto(`${stack.operatorUrl}/flags?key=${key}`);
  await page.locator(`[data-testid=flag-panel][data-flag="${key}"][data-version]`).waitFor();
  await page.locator('[data-testid=flag-schedule]:not([data-status=loading])').waitFor();
}

/**
 * 10:00 in Berlin on `date` (YYYY-MM-DD) as the panel shows a step's time: Berlin's time with its
 * zone, then UTC ("10:00 CET · 09:00 UTC" in winter, "10:00 CEST · 08:00 UTC" in summer).
 */
function berlinTenOClock(date: string): string {
  // Berlin's offset that day (its clocks change at 01:00 UTC, long before 10:00).
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' }).formatToParts(new Date(`${date}T12:00:00Z`)).find((part) => part.type === 'timeZoneName')!.value;
  const hours = offset === 'GMT+2' ? 2 : 1;
  return `10:00 ${hours === 2 ? 'CEST' : 'CET'} · ${String(10 - hours).padStart(2, '0')}:00 UTC`;
}

/** Polls the API until `accept` holds (the scheduler ticks every second). */
async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('operator: planned ramps of a flag', () => {
  const browser = sharedBrowser();
  beforeAll(async () => {
    await createTenants(`fr-${run}`, 20);
  });
  afterAll(async () => {
    for (const key of created) await api('DELETE', `/flags/${key}`);
  });

  it('plans a ramp with the impact of every step, saves it with its first step applied, then pauses, resumes and cancels it', async () => {
    const key = `e2e_${run}_ramp`;
    await createFlag(key);
    // A browser away from UTC: times are planned and shown in its zone, with UTC beside.
    const { context, page, problems } = await openPage(browser, { timezoneId: 'Europe/Berlin' });
    try {
      await openFlagPanel(page, key);
      const schedule = page.getByTestId('flag-schedule');
      await schedule.getByTestId('schedule-empty').waitFor();
      await expect(schedule.getByTestId('schedule-zone').textContent()).resolves.toContain('Times in Europe/Berlin, with UTC beside');
      await schedule.getByTestId('schedule-plan').click();
      const rows = schedule.getByTestId('schedule-row');
      // Step 1: now, rollout at 50%.
      await rows.nth(0).getByTestId('schedule-row-pct').fill('50');
      // Step 2: tomorrow 10:00 (proposed), at 100%.
      await schedule.getByTestId('schedule-add').click();
      await rows.nth(1).getByTestId('schedule-row-pct').fill('100');
      // Step 3: the day after, on.
      await schedule.getByTestId('schedule-add').click();
      await rows.nth(2).getByTestId('schedule-row-pct').fill('');
      await rows.nth(2).getByTestId('schedule-row-state').click();
      await page.getByRole('option', { name: 'on', exact: true }).click();

      // Every step's impact, as the API's impact route counts the same flag states.
      const expected = [
        await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, { state: 'rollout', pct: 50 }, 200),
        await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, { state: 'rollout', pct: 100 }, 200),
        await apiOk<FlagImpact>('POST', `/flags/${key}/impact`, { state: 'on' }, 200),
      ];
      expect(expected[0]!.after).toBeGreaterThan(0);
      expect(expected[0]!.after).toBeLessThan(expected[0]!.total);
      for (let i = 0; i < 3; i++) {
        const line = rows.nth(i).getByTestId('schedule-row-impact');
        await expect.poll(() => line.getAttribute('data-after'), { timeout: 10_000 }).toBe(String(expected[i]!.after));
        await expect(line.textContent()).resolves.toContain(`After step ${i + 1}: ${expected[i]!.after} of ${expected[i]!.total} tenants`);
      }
      const gainedAtTwo = expected[1]!.after - expected[0]!.after;
      await expect(rows.nth(1).getByTestId('schedule-row-impact').getAttribute('data-gained')).resolves.toBe(String(gainedAtTwo));
      await expect(rows.nth(1).getByTestId('schedule-row-impact').textContent()).resolves.toContain(`+${gainedAtTwo}`);
      await expect(rows.nth(2).getByTestId('schedule-row-impact').textContent()).resolves.toContain('no change');
      await screenshot(page, 'operator-flag-schedule-editor');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'operator-flag-schedule-editor-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      // A time in the past is refused at the row, with Save disabled.
      await rows.nth(1).getByTestId('schedule-row-time').fill('2020-01-01T10:00');
      await schedule.getByTestId('schedule-problems').getByText('Step 2 is in the past.').waitFor();
      await expect(schedule.getByTestId('schedule-save').isDisabled()).resolves.toBe(true);
      await schedule.getByTestId('schedule-add').click();
      await rows.nth(3).getByTestId('schedule-row-remove').click();
      // Dates in Berlin (the day after tomorrow, then the day after), 10:00 there.
      const berlinDate = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() + days * 86_400_000));
      await rows.nth(1).getByTestId('schedule-row-time').fill(`${berlinDate(2)}T10:00`);
      await rows.nth(2).getByTestId('schedule-row-time').fill(`${berlinDate(3)}T10:00`);
      await expect(schedule.getByTestId('schedule-problems').count()).resolves.toBe(0);

      await schedule.getByTestId('schedule-save').click();
      await page.locator('[data-testid=flag-schedule][data-status=active]').waitFor();
      // The "now" step is applied, by the scheduler for the operator; the panel shows the new version.
      await schedule.locator('[data-testid=schedule-step][data-executed=true]').waitFor();
      await expect(schedule.locator('[data-testid=schedule-step][data-executed=false]').count()).resolves.toBe(2);
      await page.locator(`[data-testid=flag-panel][data-version="2"]`).waitFor();
      const flag = await apiOk<Flag>('GET', `/flags/${key}`);
      expect(flag).toMatchObject({ version: 2, state: 'rollout', pct: 50 });
      expect(flag.history[0]!.actor).toBe(SCHEDULER);
      // Step 2 at 10:00 in Berlin is 09:00 UTC in winter (CET), 08:00 UTC in summer (CEST).
      await expect(schedule.getByTestId('schedule-step').nth(1).textContent()).resolves.toContain(berlinTenOClock(berlinDate(2)));
      await screenshot(page, 'operator-flag-schedule-active');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'operator-flag-schedule-active-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      await schedule.getByTestId('schedule-pause').click();
      await page.locator('[data-testid=flag-schedule][data-status=paused]').waitFor();
      await expect(schedule.getByTestId('schedule-reason').textContent()).resolves.toContain('Paused by admin@dezky.test');
      await schedule.getByTestId('schedule-resume').click();
      await page.locator('[data-testid=flag-schedule][data-status=active]').waitFor();
      await schedule.getByTestId('schedule-cancel').click();
      await page.getByRole('dialog', { name: 'Cancel this plan?' }).waitFor();
      await screenshot(page, 'operator-flag-schedule-cancel');
      await page.getByTestId('confirm-submit').click();
      await page.locator('[data-testid=flag-schedule][data-status=cancelled]').waitFor();
      const answer = await apiOk<FlagScheduleAnswer>('GET', `/flags/${key}/schedule`);
      expect(answer.schedule?.status).toBe('cancelled');
      expect(answer.schedule?.steps.map((s) => s.executedAt !== null)).toEqual([true, false, false]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("shows why a plan paused after someone changed the flag, and nothing of theirs was overwritten", async () => {
    const key = `e2e_${run}_halt`;
    await createFlag(key);
    // A step a few seconds ahead, then a change by someone before it comes (two API calls, which a
    // busy machine may take seconds over: the step leaves them ample time).
    const lead = 10_000;
    await apiOk('PUT', `/flags/${key}/schedule`, { steps: [{ at: new Date(Date.now() + lead).toISOString(), state: 'rollout', pct: 60 }] }, 200);
    await apiOk('PATCH', `/flags/${key}`, { state: 'on' }, 200);
    const paused = await until(
      () => apiOk<FlagScheduleAnswer>('GET', `/flags/${key}/schedule`),
      (a) => a.schedule?.status === 'paused',
      lead + 20_000,
    );
    expect(paused.schedule?.status).toBe('paused');
    expect((await apiOk<Flag>('GET', `/flags/${key}`)).state).toBe('on');

    const { context, page, problems } = await openPage(browser);
    try {
      await openFlagPanel(page, key);
      const schedule = page.getByTestId('flag-schedule');
      await page.locator('[data-testid=flag-schedule][data-status=paused]').waitFor();
      const reason = await schedule.getByTestId('schedule-reason').textContent();
      expect(reason).toContain('Step 1 was not applied');
      expect(reason).toContain('changed by admin@dezky.test');
      await schedule.getByTestId('schedule-resume').waitFor();
      await schedule.scrollIntoViewIfNeeded();
      await screenshot(page, 'operator-flag-schedule-paused');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

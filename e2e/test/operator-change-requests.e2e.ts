// Four-eyes approval in the operator app: an operator protects a flag, its Save becomes "Request
// approval", and a second platform administrator approves or rejects the request on the Requests
// page; the kill switch still applies at once and says it bypassed approval.
import type { ChangeRequest, Flag } from '@dezky/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, screenshot, sharedBrowser, stack, USERS } from '../src/browser.js';
import { callApi } from '../src/platform-api.js';
import { createTenants } from './operator-flags-api.js';
import { accessToken, api, operatorToken, uniqueSuffix } from './operator-tenants.api.js';

/** Opens a change request of `key` as `token`'s user, drafted on the flag as `etag` names it. */
async function openRequest(token: string, key: string, draft: object, etag: string): Promise<ChangeRequest> {
  const answer = await callApi<ChangeRequest>(token, 'POST', `/flags/${key}/change-requests`, draft, { 'if-match': etag });
  if (answer.status !== 201) throw new Error(`POST /flags/${key}/change-requests answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

describe('operator app: change requests of protected flags', () => {
  const browser = sharedBrowser();
  const key = `e2e_cr_${uniqueSuffix()}`;
  let adminToken = '';
  let reviewerToken = '';
  const pending = async () => (await api<{ items: ChangeRequest[] }>(adminToken, 'GET', `/change-requests?status=pending&flag=${key}`)).items;

  beforeAll(async () => {
    adminToken = await operatorToken();
    // The second administrator exists once seen: protecting needs someone who could approve.
    reviewerToken = await accessToken('operator', USERS.reviewer);
    await api(reviewerToken, 'GET', '/me');
    await api(adminToken, 'POST', '/flags', { key, description: 'E2E: changes need approval' });
    await createTenants(`e2e-cr-${uniqueSuffix()}`, 3);
  });
  afterAll(async () => {
    // Un-protect through an approved request, then delete.
    const flag = await api<Flag>(adminToken, 'GET', `/flags/${key}`).catch(() => undefined);
    if (flag?.protected) {
      const request = await openRequest(adminToken, key, { protected: false }, flag.etag).catch(() => undefined);
      if (request) await api(reviewerToken, 'POST', `/change-requests/${request.id}/approve`, {}).catch(() => undefined);
    }
    await api(adminToken, 'DELETE', `/flags/${key}`).catch(() => undefined);
  });

  it('protects a flag, then its Save requests approval instead of applying', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/flags/${key}`);
      const panel = page.getByTestId('flag-panel');
      await panel.getByTestId('protect-toggle').waitFor();
      await expect(panel.getByTestId('approval-notice').count()).resolves.toBe(0);
      await panel.getByTestId('protect-toggle').click();
      await page.getByText(`${key} is protected`).first().waitFor();
      await panel.getByTestId('protected-badge').waitFor();
      // Before any edit the panel says what Save will do.
      await expect(panel.getByTestId('approval-notice').textContent()).resolves.toContain('Changes need approval');
      await expect(panel.getByTestId('flag-save').textContent()).resolves.toContain('Request approval');

      await panel.getByTestId('state-on').click();
      await screenshot(page, 'operator-change-request-draft');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'operator-change-request-draft-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      await panel.getByTestId('flag-save').click();
      await page.getByText('Approval requested').first().waitFor();
      // Nothing applied: the flag is off, the form back to it, and the request waits.
      expect((await api<Flag>(adminToken, 'GET', `/flags/${key}`)).state).toBe('off');
      await expect(panel.getByTestId('state-off').getAttribute('aria-checked')).resolves.toBe('true');
      const requests = await pending();
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ author: { email: USERS.admin.login }, changes: { state: { from: 'off', to: 'on' } } });
      await panel.getByTestId('approval-notice-pending').getByText(`by ${USERS.admin.login}`).waitFor();

      // The list marks protected flags.
      await page.getByTestId('flag-panel-close').click();
      await page.locator(`[data-flag-row="${key}"]`).getByTestId('protected-badge').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('a second administrator approves it on the Requests page and the flag changes; the author cannot', async () => {
    const [request] = await pending();
    const author = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await author.page.goto(`${stack.operatorUrl}/requests`);
      const own = author.page.locator(`[data-request="${request!.id}"]`);
      await own.getByText('You wrote this request').waitFor();
      await expect(own.getByTestId('request-approve').count()).resolves.toBe(0);
      expectNoProblems(author.problems);
    } finally {
      await author.context.close();
    }

    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.reviewer);
    try {
      // Through the sidebar, as reviewers get there.
      await page.getByTestId('sidebar').getByRole('link', { name: 'Requests' }).click();
      await page.waitForURL(`${stack.operatorUrl}/requests`);
      const card = page.locator(`[data-request="${request!.id}"]`);
      await expect(card.getByTestId('request-state').textContent()).resolves.toContain('Pending');
      await expect(card.getByTestId('request-changes').textContent()).resolves.toMatch(/State\s*off\s*on/);
      await expect(card.getByTestId('request-impact').textContent()).resolves.toMatch(/gain/);
      await screenshot(page, 'operator-requests');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'operator-requests-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      await card.getByTestId('request-approve').click();
      const dialog = page.getByRole('dialog', { name: `Approve the change of ${key}?` });
      await dialog.getByTestId('review-comment').fill('Checked the impact with support');
      await dialog.getByTestId('review-approve-submit').click();
      await page.getByText(`${key} changed`).first().waitFor();
      await expect(card.getByTestId('request-state').textContent()).resolves.toContain('Approved');
      await expect(card.getByTestId('review-text').textContent()).resolves.toBe('Checked the impact with support');
      await screenshot(page, 'operator-request-approved');
      const flag = await api<Flag>(adminToken, 'GET', `/flags/${key}`);
      expect(flag).toMatchObject({ state: 'on', protected: true });
      expect(flag.history[0]).toMatchObject({ actor: USERS.reviewer.login, approval: { kind: 'change-request', changeRequestId: request!.id, author: USERS.admin.login } });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('a rejection needs a comment, which the request then shows; nothing changes', async () => {
    const flag = await api<Flag>(adminToken, 'GET', `/flags/${key}`);
    const request = await openRequest(adminToken, key, { state: 'rollout', pct: 10 }, flag.etag);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.reviewer);
    try {
      await page.goto(`${stack.operatorUrl}/requests?id=${request.id}`);
      const card = page.locator(`[data-request="${request.id}"]`);
      await card.getByTestId('request-reject').click();
      const dialog = page.getByRole('dialog', { name: `Reject the change of ${key}?` });
      await expect(dialog.getByTestId('review-reject-submit').isDisabled()).resolves.toBe(true);
      await dialog.getByTestId('review-comment').fill('Not during the billing migration');
      await screenshot(page, 'operator-request-reject');
      await dialog.getByTestId('review-reject-submit').click();
      await page.getByText('Request rejected', { exact: true }).first().waitFor();
      await expect(card.getByTestId('request-state').textContent()).resolves.toContain('Rejected');
      await expect(card.getByTestId('review-text').textContent()).resolves.toBe('Not during the billing migration');
      expect((await api<Flag>(adminToken, 'GET', `/flags/${key}`)).etag).toBe(flag.etag);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('the kill switch applies at once, the history says it bypassed approval, and pending requests need a rebase', async () => {
    const flag = await api<Flag>(adminToken, 'GET', `/flags/${key}`);
    const request = await openRequest(adminToken, key, { description: 'A calm change' }, flag.etag);
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.reviewer);
    try {
      await page.goto(`${stack.operatorUrl}/flags/${key}`);
      const panel = page.getByTestId('flag-panel');
      await panel.getByTestId('kill-switch').click();
      await page.getByText(`${key} is off for every tenant`).first().waitFor();
      await expect(panel.getByTestId('history-approval').first().textContent()).resolves.toContain('kill switch, approval bypassed');
      expect((await api<Flag>(adminToken, 'GET', `/flags/${key}`)).state).toBe('off');
      await screenshot(page, 'operator-protected-kill');
      // The audit log says so too.
      await page.goto(`${stack.operatorUrl}/audit?resourceType=flag&resourceId=${key}`);
      await expect(page.getByTestId('audit-bypassed').first().textContent()).resolves.toContain('kill switch, approval bypassed');

      await page.goto(`${stack.operatorUrl}/requests?id=${request.id}`);
      const card = page.locator(`[data-request="${request.id}"]`);
      await expect(card.getByTestId('request-state').textContent()).resolves.toContain('Needs rebase');
      await card.getByTestId('request-stale').waitFor();
      await expect(card.getByTestId('request-approve').isDisabled()).resolves.toBe(true);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

// Webhooks in the operator app: register an endpoint pointing at a receiver on 127.0.0.1, see its
// secret once, change a flag through the API and see the signed delivery in the endpoint's log,
// then make the receiver fail and re-send.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, sharedBrowser, stack, USERS } from '../src/browser.js';
import { apiOk, runId } from './operator-flags-api.js';
import { fullScreenshot } from './operator-tenants.api.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('operator app: webhooks', () => {
  const browser = sharedBrowser();
  const suffix = runId();
  const received: Received[] = [];
  let status = 200;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dezky-${suffix}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('registers an endpoint, shows its secret once, logs a flag change as delivered and re-sends a failed one', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      await page.goto(`${stack.operatorUrl}/webhooks`);
      await page.getByTestId('webhooks-page').waitFor();

      // Register: the URL is checked in the form before anything is sent.
      await page.waitForLoadState('networkidle');
      await page.getByTestId('webhook-new').click();
      const form = page.getByTestId('webhook-form');
      await form.getByTestId('webhook-url').fill('hooks.example.com');
      await page.getByTestId('webhook-submit').click();
      await form.getByText('Enter an https URL').waitFor();
      await form.getByTestId('webhook-url').fill(url);
      await form.getByTestId('webhook-description').fill(`Release bot ${suffix}`);
      await fullScreenshot(page, 'operator-webhook-form');
      await page.getByTestId('webhook-submit').click();

      // The secret, once, with the warning.
      const secretModal = page.getByTestId('webhook-secret-modal');
      await secretModal.getByText('you will not see it again').waitFor();
      const secret = await page.getByTestId('webhook-secret').inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      await fullScreenshot(page, 'operator-webhook-secret');
      await page.getByTestId('webhook-secret-done').click();
      await secretModal.waitFor({ state: 'detached' });

      const row = page.getByTestId('webhooks-table').locator('tr', { hasText: url });
      await row.waitFor();
      await row.getByText('Nothing sent yet').filter({ visible: true }).waitFor();
      expect(await page.content()).not.toContain(secret.slice(6));

      // A flag change through the API is delivered, signed with that secret.
      const key = `hooked_${suffix}`;
      await apiOk('POST', '/flags', { key, description: 'Announced by webhook' });
      await apiOk('PATCH', `/flags/${key}`, { state: 'on' }, 200);
      await expect.poll(() => received.filter((r) => r.body.includes('"flag.update"')).length, { timeout: 15_000 }).toBe(1);
      const update = received.find((r) => r.body.includes('"flag.update"'))!;
      const headers = Object.fromEntries(Object.entries(update.headers).map(([k, v]) => [k, String(v)]));
      expect(new Webhook(secret).verify(update.body, headers)).toMatchObject({ type: 'flag.update', data: { flag: key, actor: 'admin@dezky.test' } });

      await row.getByRole('link').click();
      await page.waitForURL(/\/webhooks\/[0-9a-f]{24}$/);
      await page.getByTestId('webhook-url-heading').getByText(url).waitFor();
      const log = page.getByTestId('webhook-deliveries');
      const updateRow = log.locator('tr', { hasText: 'flag.update' });
      await updateRow.getByText('Delivered', { exact: true }).filter({ visible: true }).waitFor({ timeout: 15_000 });
      await log.locator('tr', { hasText: 'flag.create' }).getByText('Delivered', { exact: true }).filter({ visible: true }).waitFor();
      expect(await page.content()).not.toContain(secret.slice(6));
      await fullScreenshot(page, 'operator-webhook-log');

      // The receiver fails: a re-send is attempted at once, with the same webhook-id, and logged.
      status = 500;
      await updateRow.getByRole('button', { name: 'Resend' }).click();
      await page.getByText('Re-sent message not delivered', { exact: true }).waitFor();
      await updateRow.getByText('HTTP 500').filter({ visible: true }).waitFor();
      await updateRow.getByText('Retrying', { exact: true }).filter({ visible: true }).waitFor();
      await fullScreenshot(page, 'operator-webhook-log-failed');
      const updates = received.filter((r) => r.body.includes('"flag.update"'));
      expect(updates.length).toBeGreaterThanOrEqual(2);
      expect(new Set(updates.map((r) => r.headers['webhook-id'])).size).toBe(1);

      // Back up: re-sent again, delivered.
      status = 200;
      await updateRow.getByRole('button', { name: 'Resend' }).click();
      await updateRow.getByText('Delivered', { exact: true }).filter({ visible: true }).waitFor();
      await expect(updateRow.getByText('HTTP 500').filter({ visible: true }).count()).resolves.toBe(0);

      // At a phone's width: the page and the list still read.
      await page.setViewportSize({ width: 390, height: 844 });
      await fullScreenshot(page, 'operator-webhook-log-phone');
      await page.goto(`${stack.operatorUrl}/webhooks`);
      await page.getByTestId('webhooks-table').locator('tr', { hasText: url }).getByText('Delivered', { exact: true }).filter({ visible: true }).waitFor();
      await fullScreenshot(page, 'operator-webhooks-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      await fullScreenshot(page, 'operator-webhooks');

      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoProblems, forgeSession, openAndSignIn, openPage, openSignedInPage, screenshot, sessionCookie, sharedBrowser, stack, USERS } from '../src/browser.js';
import { api, operatorToken } from '../src/platform-api.js';

describe('portal app', () => {
  const browser = sharedBrowser();

  it('signs a customer in and shows her tenants (none yet)', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.portalUrl, USERS.alice);
    try {
      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Alice Customer');
      await expect(page.getByTestId('welcome-title').textContent()).resolves.toContain('Welcome, Alice');
      const empty = page.getByTestId('tenants-empty');
      await empty.getByText('You have no tenants yet').waitFor();
      await expect(empty.getByRole('link', { name: 'Create tenant' }).getAttribute('href')).resolves.toBe('/tenants/new');
      await expect(page.getByTestId('profile-email').textContent()).resolves.toContain('alice@customer.test');
      await page.getByTestId('subscription-none').waitFor();
      await screenshot(page, 'portal-home-empty');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('refreshes the access token before it expires, once for concurrent requests', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.portalUrl, USERS.bob);
    try {
      const first = await sessionCookie(context, 'portal');
      expect(first).toBeDefined();

      // Tokens last accessTokenTtlSeconds; within a minute of expiry the next API call refreshes.
      await page.waitForTimeout((stack.accessTokenTtlSeconds - 60) * 1000 + 500);
      const statuses = await page.evaluate(async () => {
        const responses = await Promise.all([fetch('/api/me'), fetch('/api/me'), fetch('/api/me')]);
        return responses.map((res) => res.status);
      });
      expect(statuses).toEqual([200, 200, 200]);
      const refreshed = await sessionCookie(context, 'portal');
      expect(refreshed?.value).not.toBe(first?.value);

      // The refreshed session keeps working, and a refresh during server rendering reaches the
      // browser too (the page's API call renews the cookie of the page's response).
      await page.waitForTimeout((stack.accessTokenTtlSeconds - 60) * 1000 + 500);
      await page.reload();
      await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Bob Customer');
      await page.getByText('You have no tenants yet').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      const renewedBySsr = await sessionCookie(context, 'portal');
      expect(renewedBySsr?.value).not.toBe(refreshed?.value);
      await page.reload();
      await page.getByText('You have no tenants yet').waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('ends the session and goes to /login when the API refuses the access token', async () => {
    const { context, page } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      const cookie = (await sessionCookie(context, 'portal'))!;
      const forged = await forgeSession(cookie.value, 'portal', (session) => {
        session.data.secure = { accessToken: 'a-token-the-api-does-not-accept', expiresAt: Date.now() + 3_600_000 };
      });
      await context.addCookies([{ ...cookie, value: forged }]);

      // Server-rendered: the page's API call answers 401, the server clears the session and redirects.
      await page.goto(`${stack.portalUrl}/`);
      await page.waitForURL(`${stack.portalUrl}/login`);
      await page.getByRole('link', { name: 'Sign in with Dezky ID' }).waitFor();
      expect(await sessionCookie(context, 'portal')).toBeUndefined();

      // In the browser: same answer from the app's API route.
      await context.addCookies([{ ...cookie, value: forged }]);
      const api = await page.evaluate(async () => {
        const res = await fetch('/api/me');
        return { status: res.status, body: (await res.json()) as { message?: string } };
      });
      expect(api).toEqual({ status: 401, body: expect.objectContaining({ message: 'Your session has ended. Sign in again.' }) });
      expect(await sessionCookie(context, 'portal')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('comes back to the sign-in page with a message when the sign-in is cancelled at the IdP', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(stack.portalUrl);
      await page.waitForURL(`${stack.portalUrl}/login`);
      await page.getByRole('link', { name: 'Sign in with Dezky ID' }).click();
      await page.waitForURL((url) => url.origin === stack.idpBaseUrl);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.waitForURL(`${stack.portalUrl}/login?error=access_denied`);
      await expect(page.getByTestId('login-error').textContent()).resolves.toContain('The sign-in was cancelled.');
      expect(await sessionCookie(context, 'portal')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('sends the browser to /login when its session cookie is not valid', async () => {
    const { context, page } = await openPage(browser);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      const cookie = await sessionCookie(context, 'portal');
      expect(cookie).toBeDefined();
      await context.addCookies([{ ...cookie!, value: `${cookie!.value.slice(0, -8)}tampered` }]);
      await page.goto(`${stack.portalUrl}/`);
      await page.waitForURL(`${stack.portalUrl}/login`);
      const api = await page.evaluate(async () => (await fetch('/api/me')).status);
      expect(api).toBe(401);
    } finally {
      await context.close();
    }
  });
});

// After the tests above on purpose: they expect Alice and Bob to have no tenant yet (the files of
// a run share one database, and tests of one file run in order).
describe('portal tenants and features', () => {
  const browser = sharedBrowser();

  /** Flags of the other gated features, turned on for the tenant after gdpr_export_v2. */
  const OTHER_FLAGS = ['new_billing_engine', 'jmap_native_v2'];

  /** Problems that are the expected answer of a step, removed from the list. */
  function allow(problems: string[], ...expected: RegExp[]): void {
    for (let i = problems.length - 1; i >= 0; i -= 1) {
      if (expected.some((re) => re.test(problems[i]!))) problems.splice(i, 1);
    }
  }

  it("validates what its server routes forward to the API, and asks for a session first", async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.portalUrl, USERS.bob);
    try {
      const answers = await page.evaluate(async () => {
        const call = async (method: string, url: string, body?: unknown) => {
          const res = await fetch(url, {
            method,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const json = (await res.json().catch(() => ({}))) as { message?: string };
          return { status: res.status, message: json.message ?? '' };
        };
        return {
          badSlug: await call('POST', '/api/tenants', { slug: 'Not A Slug', name: 'X' }),
          noName: await call('POST', '/api/tenants', { slug: 'valid-slug', name: '   ' }),
          badPlan: await call('POST', '/api/tenants', { slug: 'valid-slug', name: 'X', plan: 'platinum' }),
          badPath: await call('GET', '/api/tenants/..%2Fpartners'),
          badReconcile: await call('POST', '/api/tenants/UPPER/reconcile'),
          badFlags: await call('POST', '/api/flags/evaluate', { tenantSlug: '../partners' }),
          unknownTenant: await call('GET', '/api/tenants/no-such-tenant'),
          unknownFlags: await call('POST', '/api/flags/evaluate', { tenantSlug: 'no-such-tenant' }),
        };
      });
      expect(answers.badSlug).toEqual({ status: 400, message: expect.stringContaining('slug must be lowercase letters, digits and single hyphens (3-40 characters)') });
      expect(answers.noName).toEqual({ status: 400, message: expect.stringContaining('name must not be empty') });
      expect(answers.badPlan.status).toBe(400);
      expect(answers.badPath).toEqual({ status: 404, message: 'This tenant does not exist or you do not have access' });
      expect(answers.badReconcile.status).toBe(404);
      expect(answers.badFlags.status).toBe(400);
      expect(answers.unknownTenant.status).toBe(404);
      expect(answers.unknownFlags.status).toBe(404);
      allow(problems, /^HTTP 40[04]: /, /^console error: Failed to load resource: .* 40[04] /);
      expectNoProblems(problems);

      // Without a session: 401 whatever the input.
      await context.clearCookies();
      const signedOut = await page.evaluate(async () => {
        const res = await fetch('/api/tenants', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"slug":"Bad"}' });
        return res.status;
      });
      expect(signedOut).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('creates a tenant, gates its features by evaluated flags, and shows it to nobody else', async () => {
    const slug = `northwind-${randomBytes(3).toString('hex')}`;
    const name = 'Northwind Traders';
    const tenantUrl = `${stack.portalUrl}/tenants/${slug}`;
    const admin = await operatorToken();
    // The platform administrator's user is created by the first call.
    await api(admin, 'GET', '/me');
    const flagsBefore = new Map<string, { state: string; scope: { tenantSlugs: string[] } }>();
    for (const key of ['gdpr_export_v2', ...OTHER_FLAGS]) flagsBefore.set(key, await api(admin, 'GET', `/flags/${key}`));
    expect(flagsBefore.get('gdpr_export_v2')?.state).toBe('off');
    /** Leaves the flags as the run found them, for the other tests. */
    const restoreFlags = async () => {
      for (const [key, flag] of flagsBefore) {
        await api(admin, 'PATCH', `/flags/${key}`, { state: flag.state, scope: { tenantSlugs: flag.scope.tenantSlugs } });
      }
    };

    const alice = await openPage(browser);
    const bob = await openPage(browser);
    try {
      const { page, problems } = alice;
      await openAndSignIn(page, stack.portalUrl, USERS.alice);

      // Home → the call to action of the empty state.
      await page.getByTestId('tenants-empty').getByRole('link', { name: 'Create tenant' }).click();
      await page.waitForURL(`${stack.portalUrl}/tenants/new`);
      await page.getByRole('heading', { name: 'Create a tenant' }).waitFor();

      // The name suggests a slug; the slug's rule is shown, and its errors as you type.
      await page.getByTestId('name-input').fill(name);
      const slugInput = page.getByTestId('slug-input');
      await expect(slugInput.inputValue()).resolves.toBe('northwind-traders');
      const slugField = page.getByTestId('slug-field');
      await slugField.getByText('Lowercase letters, digits and single hyphens; 3–40 characters.').waitFor();
      for (const [value, message] of [
        ['Northwind', 'Use lowercase letters only.'],
        ['nw', 'At least 3 characters.'],
        ['north--wind', 'Use single hyphens only.'],
        ['north_wind', 'Only lowercase letters (a–z), digits and hyphens are allowed.'],
        ['-northwind', 'The slug cannot start or end with a hyphen.'],
      ] as const) {
        await slugInput.fill(value);
        await slugField.getByText(message).waitFor();
      }
      await screenshot(page, 'portal-create');
      await slugInput.fill(slug);
      await slugField.getByText(/Use |At least|allowed|hyphen\./).waitFor({ state: 'detached' });
      await page.getByTestId('name-input').fill(`${name} `);
      await expect(slugInput.inputValue()).resolves.toBe(slug); // typed by hand: the name no longer suggests one
      await page.getByRole('radio', { name: /^Business/ }).check();
      await page.getByTestId('create-submit').click();

      // The provisioning result per integration, then the tenant's page.
      const result = page.getByTestId('create-result');
      await result.getByRole('heading', { name: `${name} is ready` }).waitFor();
      const authentik = result.getByTestId('provisioning-authentik');
      await expect(authentik.getAttribute('data-state')).resolves.toBe('skipped');
      await expect(authentik.getByTestId('provisioning-state').textContent()).resolves.toContain('Skipped');
      await expect(authentik.getByTestId('provisioning-detail').textContent()).resolves.toContain('not configured');
      await page.getByText('Tenant created', { exact: true }).waitFor(); // the toast
      await screenshot(page, 'portal-create-result');
      await page.getByTestId('open-tenant').click();
      await page.waitForURL(tenantUrl);

      const header = page.getByTestId('tenant-header');
      await expect(header.getByTestId('tenant-title').textContent()).resolves.toContain(name);
      await expect(header.getByTestId('tenant-slug').textContent()).resolves.toBe(slug);
      await expect(header.getByTestId('tenant-plan').textContent()).resolves.toContain('Business');
      await expect(header.getByTestId('tenant-status').textContent()).resolves.toContain('Active');
      const subscription = page.getByTestId('subscription-card');
      await expect(subscription.getByTestId('subscription-plan').textContent()).resolves.toContain('Business');
      await expect(subscription.getByTestId('subscription-seats').textContent()).resolves.toContain('1');
      await expect(subscription.getByTestId('subscription-price').textContent()).resolves.toContain('€9.00');
      await expect(subscription.getByTestId('subscription-status').textContent()).resolves.toContain('Trial');

      // gdpr_export_v2 is off: the action is absent, not disabled.
      await page.getByTestId('features-empty').waitFor();
      await expect(page.getByTestId('gdpr-export').count()).resolves.toBe(0);
      await expect(page.getByTestId('new-billing').count()).resolves.toBe(0);
      await expect(page.getByTestId('jmap-mail').count()).resolves.toBe(0);

      // The owner re-runs provisioning.
      await page.getByTestId('reconcile').click();
      await page.getByText('Provisioning re-run', { exact: true }).waitFor();
      await expect(page.getByTestId('provisioning-authentik').getAttribute('data-state')).resolves.toBe('skipped');

      // A second tenant with the same slug: 409, inline on the slug field.
      await page.goto(`${stack.portalUrl}/tenants/new`);
      await page.getByTestId('name-input').fill('Northwind Again');
      await page.getByTestId('slug-input').fill(slug);
      await page.getByTestId('create-submit').click();
      await page.getByTestId('slug-field').getByText(`“${slug}” is already taken. Choose another slug.`).waitFor();
      await expect(page.getByTestId('create-result').count()).resolves.toBe(0);
      allow(problems, new RegExp(`^HTTP 409: POST ${stack.portalUrl}/api/tenants$`), /^console error: Failed to load resource: .* 409 /);

      // Home lists the tenant; its row is a link reachable by keyboard.
      await page.goto(stack.portalUrl);
      const row = page.locator(`[data-testid="tenant-row"][data-slug="${slug}"]`);
      await expect(row.getByTestId('tenant-name').textContent()).resolves.toContain(name);
      await expect(row.getByTestId('tenant-plan').textContent()).resolves.toContain('Business');
      await expect(row.getByTestId('tenant-status').textContent()).resolves.toContain('Active');
      await expect(row.getByTestId('tenant-role').textContent()).resolves.toContain('Owner');
      await expect(page.getByTestId('subscription-card').getByTestId('subscription-price').textContent()).resolves.toContain('€9.00');
      await screenshot(page, 'portal-home');
      await row.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(tenantUrl);
      await page.getByTestId('features-empty').waitFor();

      // An operator turns gdpr_export_v2 on for this tenant only.
      await api(admin, 'PATCH', '/flags/gdpr_export_v2', { state: 'targeted', scope: { tenantSlugs: [slug] } });

      // The open tab picks it up (pushed, and at the latest when it regains focus)...
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await page.getByTestId('gdpr-export').waitFor();
      // ...and a reload renders it on the server.
      await page.reload();
      const gdpr = page.getByTestId('gdpr-export');
      await gdpr.waitFor();
      await expect(page.getByTestId('features-empty').count()).resolves.toBe(0);
      await expect(page.getByTestId('new-billing').count()).resolves.toBe(0);
      await expect(page.getByTestId('jmap-mail').count()).resolves.toBe(0);
      await screenshot(page, 'portal-tenant');

      // The export downloads this tenant's data.
      const [download] = await Promise.all([page.waitForEvent('download'), gdpr.getByTestId('gdpr-export-download').click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^dezky-${slug}-export-\\d{4}-\\d{2}-\\d{2}\\.json$`));
      const chunks: Buffer[] = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
      const exported = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tenant: { slug: string }; exportedBy: string };
      expect(exported.tenant.slug).toBe(slug);
      expect(exported.exportedBy).toBe(USERS.alice.login);
      await page.getByText('Export downloaded', { exact: true }).waitFor();

      // The other gated features follow their own flags.
      for (const key of OTHER_FLAGS) await api(admin, 'PATCH', `/flags/${key}`, { state: 'targeted', scope: { tenantSlugs: [slug] } });
      await page.reload();
      await page.getByTestId('new-billing').waitFor();
      await page.getByTestId('jmap-mail').waitFor();
      await expect(page.getByTestId('new-billing-total').textContent()).resolves.toContain('€9.00');
      await screenshot(page, 'portal-tenant-all-features');

      // Dark mode.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.reload();
      await page.getByTestId('gdpr-export').waitFor();
      await expect(page.evaluate(() => document.documentElement.classList.contains('dark'))).resolves.toBe(true);
      await screenshot(page, 'portal-tenant-dark');
      await restoreFlags();
      await page.reload();
      await page.getByTestId('features-empty').waitFor();
      await expect(page.getByTestId('gdpr-export').count()).resolves.toBe(0);
      await page.goto(stack.portalUrl);
      await page.locator(`[data-testid="tenant-row"][data-slug="${slug}"]`).waitFor();
      await screenshot(page, 'portal-home-dark');
      expectNoProblems(problems);

      // Bob does not belong to the tenant: the not-found page, with a way back home.
      await openAndSignIn(bob.page, stack.portalUrl, USERS.bob);
      const response = await bob.page.goto(tenantUrl);
      expect(response?.status()).toBe(404);
      const error = bob.page.getByTestId('error-page');
      await expect(error.getByTestId('error-title').textContent()).resolves.toContain('Tenant not found');
      await expect(error.getByTestId('error-message').textContent()).resolves.toContain('This tenant does not exist or you do not have access');
      await expect(bob.page.content()).resolves.not.toContain(name);
      await screenshot(bob.page, 'portal-tenant-not-found');
      await error.getByTestId('back-home').click();
      await bob.page.waitForURL(`${stack.portalUrl}/`);
      await bob.page.getByText('You have no tenants yet').waitFor();
      // The flags of the tenant are refused to him too.
      const flags = await bob.page.evaluate(async (tenantSlug) => {
        const res = await fetch('/api/flags/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantSlug }) });
        return res.status;
      }, slug);
      expect(flags).toBe(404);
      // Every way he asks for the tenant answers 404: the page, the flags, and the tenant's own
      // API route, which the browser may ask too when the error page hydrates.
      allow(
        bob.problems,
        new RegExp(`^HTTP 404: (GET ${tenantUrl}|POST ${stack.portalUrl}/api/flags/evaluate|GET ${stack.portalUrl}/api/tenants/${slug})$`),
        /^console error: Failed to load resource: .* 404 /,
      );
      expectNoProblems(bob.problems);
    } finally {
      await alice.context.close();
      await bob.context.close();
      await restoreFlags().catch(() => undefined);
    }
  });

  /** Where the API's event streams live: their URLs carry a signed grant and must never reach the browser. */
  const API_STREAM = '/ofrep/v1/events?stream=';

  interface FlagState {
    state: string;
    scope: { tenantSlugs: string[] };
  }

  /** Creates a tenant through the portal's own route, as the signed-in user (its owner). */
  async function createTenant(page: Page, slug: string, name: string): Promise<void> {
    const status = await page.evaluate(
      async (input) =>
        (await fetch('/api/tenants', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).status,
      { slug, name, plan: 'business' },
    );
    expect(status).toBe(201);
  }

  /** Sets gdpr_export_v2 as an operator, straight through the API (a fresh token: they last 62 s here). */
  async function setGdprExport(change: FlagState): Promise<void> {
    await api(await operatorToken(), 'PATCH', '/flags/gdpr_export_v2', { state: change.state, scope: { tenantSlugs: change.scope.tenantSlugs } });
  }

  it('shows a feature appear and disappear as an operator switches its flag, with no reload, navigation or focus change', async () => {
    const slug = `tailspin-${randomBytes(3).toString('hex')}`;
    const tenantUrl = `${stack.portalUrl}/tenants/${slug}`;
    const admin = await operatorToken();
    await api(admin, 'GET', '/me');
    const before = await api<FlagState>(admin, 'GET', '/flags/gdpr_export_v2');
    expect(before.state).toBe('off');

    const { context, page, problems } = await openPage(browser);
    // Everything the browser is told: request URLs, response bodies (not the open stream's: it
    // never ends; its bytes are checked below), the URLs its frame shows.
    const urls: string[] = [];
    const bodies: Promise<string>[] = [];
    const streams: string[] = [];
    page.on('request', (req) => {
      urls.push(req.url());
      if (req.resourceType() === 'eventsource') streams.push(req.url());
    });
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'eventsource') bodies.push(res.text().catch(() => ''));
    });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      navigations += 1;
      urls.push(frame.url());
    });
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      await createTenant(page, slug, 'Tailspin Toys');
      await page.goto(tenantUrl);
      const features = page.getByTestId('features');
      // The page has its stream open (the app's route, nothing else) and the feature is absent.
      await page.locator('[data-testid=features][data-live=open]').waitFor();
      await page.getByTestId('features-empty').waitFor();
      await expect(page.getByTestId('gdpr-export').count()).resolves.toBe(0);
      // (The request event reaches this process on its own way, not necessarily before the page's state.)
      await expect.poll(() => streams).toEqual([`${stack.portalUrl}/api/tenants/${slug}/flag-events`]);

      await screenshot(page, 'portal-tenant-live-off');

      // From here on: no navigation, and focus or visibility events are counted (none expected).
      const navigationsBefore = navigations;
      await page.evaluate(() => {
        const w = window as unknown as { e2eFocusEvents: number; e2eDocument: string };
        w.e2eFocusEvents = 0;
        w.e2eDocument = 'the same';
        window.addEventListener('focus', () => (w.e2eFocusEvents += 1), true);
        document.addEventListener('visibilitychange', () => (w.e2eFocusEvents += 1), true);
      });

      // The operator turns gdpr_export_v2 on for this tenant: the tile appears by itself.
      let started = Date.now();
      await setGdprExport({ state: 'targeted', scope: { tenantSlugs: [slug] } });
      await page.getByTestId('gdpr-export').waitFor({ timeout: 5_000 });
      const appearedMs = Date.now() - started;
      await expect(page.getByTestId('features-empty').count()).resolves.toBe(0);
      await expect(features.getAttribute('data-live')).resolves.toBe('open');
      await screenshot(page, 'portal-tenant-live-on');

      // ...and off again: it disappears by itself.
      started = Date.now();
      await setGdprExport({ state: 'off', scope: { tenantSlugs: [] } });
      await page.getByTestId('gdpr-export').waitFor({ state: 'detached', timeout: 5_000 });
      const disappearedMs = Date.now() - started;
      await page.getByTestId('features-empty').waitFor();
      console.log(`[portal live flags] feature appeared after ${appearedMs} ms, disappeared after ${disappearedMs} ms`);

      expect(navigations).toBe(navigationsBefore);
      const marks = await page.evaluate(() => {
        const { e2eFocusEvents, e2eDocument } = window as unknown as { e2eFocusEvents: number; e2eDocument: string };
        return { e2eFocusEvents, e2eDocument };
      });
      expect(marks).toEqual({ e2eFocusEvents: 0, e2eDocument: 'the same' });
      expect(streams).toHaveLength(1);

      // The API's stream URL is nowhere the browser can see it: requests, responses, the DOM,
      // the resource timing entries, the address bar; nor in the portal's log.
      const inPage = await page.evaluate(() => ({
        html: document.documentElement.outerHTML,
        resources: performance.getEntries().map((entry) => entry.name).join('\n'),
        location: location.href,
        storage: JSON.stringify({ ...localStorage, ...sessionStorage }),
      }));
      const texts = await Promise.all(bodies);
      expect(urls.filter((url) => url.includes('/ofrep/'))).toEqual([]);
      expect(texts.filter((text) => text.includes(API_STREAM))).toEqual([]);
      for (const [where, text] of Object.entries(inPage)) expect(text.includes(API_STREAM), where).toBe(false);
      await expect(readFile(path.join(stack.logDir, 'portal.log'), 'utf8')).resolves.not.toContain(API_STREAM);
      expectNoProblems(problems);
    } finally {
      await context.close();
      await setGdprExport(before).catch(() => undefined);
    }
  });

  it('streams flag changes only to the tenant’s members, and relays the stream without its URL', async () => {
    const slug = `fabrikam-${randomBytes(3).toString('hex')}`;
    const alice = await openPage(browser);
    const bob = await openPage(browser);
    try {
      await openAndSignIn(alice.page, stack.portalUrl, USERS.alice);
      await createTenant(alice.page, slug, 'Fabrikam');

      // Alice's relay, read as a plain HTTP client with her session cookie: an unbuffered event
      // stream that starts at once and carries events, never the API's URL.
      const cookie = (await sessionCookie(alice.context, 'portal'))!;
      const controller = new AbortController();
      const res = await fetch(`${stack.portalUrl}/api/tenants/${slug}/flag-events`, {
        headers: { cookie: `${cookie.name}=${cookie.value}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('cache-control')).toContain('no-cache');
      expect(res.headers.get('etag')).toBeNull();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let received = '';
      const readUntil = async (pattern: RegExp) => {
        const deadline = Date.now() + 5_000;
        while (!pattern.test(received)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} in the stream: ${JSON.stringify(received)}`);
          const { done, value } = await reader.read();
          if (done) throw new Error(`the stream ended: ${JSON.stringify(received)}`);
          received += decoder.decode(value, { stream: true });
        }
      };
      await readUntil(/: connected\n/);
      const before = await api<FlagState>(await operatorToken(), 'GET', '/flags/gdpr_export_v2');
      try {
        await setGdprExport({ state: 'targeted', scope: { tenantSlugs: [slug] } });
        await readUntil(/event: message\ndata: .*\n\n/);
      } finally {
        await setGdprExport(before);
      }
      const data = JSON.parse(/event: message\ndata: (.*)\n\n/.exec(received)![1]!) as Record<string, unknown>;
      expect(data).toEqual({ type: 'refetchEvaluation', etag: expect.any(String), lastModified: expect.any(Number) });
      expect(received).not.toContain('/ofrep/');
      controller.abort();

      // Bob is no member: the answer of the tenant's other routes, 404 with the same message.
      await openAndSignIn(bob.page, stack.portalUrl, USERS.bob);
      const answers = await bob.page.evaluate(async (tenantSlug) => {
        const call = async (url: string) => {
          const r = await fetch(url);
          const json = (await r.json().catch(() => ({}))) as { message?: string };
          return { status: r.status, type: r.headers.get('content-type') ?? '', message: json.message ?? '' };
        };
        return {
          tenant: await call(`/api/tenants/${tenantSlug}`),
          stream: await call(`/api/tenants/${tenantSlug}/flag-events`),
          missing: await call('/api/tenants/no-such-tenant/flag-events'),
          missingTenant: await call('/api/tenants/no-such-tenant'),
          malformed: await call('/api/tenants/Not_A_Slug/flag-events'),
        };
      }, slug);
      expect(answers.tenant.status).toBe(404);
      expect(answers.stream).toEqual(answers.tenant);
      expect(answers.missing).toEqual(answers.missingTenant);
      expect(answers.malformed).toMatchObject({ status: 404, message: 'This tenant does not exist or you do not have access' });
      allow(bob.problems, /^HTTP 404: GET .*\/api\/tenants\//, /^console error: Failed to load resource: .* 404 /);
      expectNoProblems(bob.problems);

      // Without a session: 401, before anything is asked of the API.
      await bob.context.clearCookies();
      const signedOut = await bob.page.evaluate(async (tenantSlug) => (await fetch(`/api/tenants/${tenantSlug}/flag-events`)).status, slug);
      expect(signedOut).toBe(401);
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });

  it('closes the stream while the tab is hidden for long, and reopens it (re-evaluating) when visible', async () => {
    const slug = `contoso-${randomBytes(3).toString('hex')}`;
    const before = await api<FlagState>(await operatorToken(), 'GET', '/flags/gdpr_export_v2');
    const { context, page, problems } = await openPage(browser);
    const streams: string[] = [];
    page.on('request', (req) => {
      if (req.resourceType() === 'eventsource') streams.push(req.url());
    });
    /** Hides or shows the tab as far as the page can tell (a headless tab is always visible). */
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    try {
      await openAndSignIn(page, stack.portalUrl, USERS.alice);
      await createTenant(page, slug, 'Contoso');
      // The page's clock, to let two minutes pass at once.
      await page.clock.install();
      await page.goto(`${stack.portalUrl}/tenants/${slug}`);
      const features = page.getByTestId('features');
      await page.locator('[data-testid=features][data-live=open]').waitFor();
      await page.getByTestId('features-empty').waitFor();

      // Hidden for a minute: still connected. For over two: closed.
      await setVisibility('hidden');
      await page.clock.runFor(60_000);
      await expect(features.getAttribute('data-live')).resolves.toBe('open');
      await page.clock.runFor(61_000);
      await page.locator('[data-testid=features][data-live=paused]').waitFor();

      // A change meanwhile is not pushed to the closed stream...
      await setGdprExport({ state: 'targeted', scope: { tenantSlugs: [slug] } });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await expect(page.getByTestId('gdpr-export').count()).resolves.toBe(0);

      // ...and shows as soon as the tab is visible again: a new stream, a new evaluation.
      await setVisibility('visible');
      await page.locator('[data-testid=features][data-live=open]').waitFor();
      await page.getByTestId('gdpr-export').waitFor({ timeout: 5_000 });
      await expect.poll(() => streams).toEqual([`${stack.portalUrl}/api/tenants/${slug}/flag-events`, `${stack.portalUrl}/api/tenants/${slug}/flag-events`]);

      // The reopened stream pushes again.
      await setGdprExport({ state: 'off', scope: { tenantSlugs: [] } });
      await page.getByTestId('gdpr-export').waitFor({ state: 'detached', timeout: 5_000 });
      expectNoProblems(problems);
    } finally {
      await context.close();
      await setGdprExport(before).catch(() => undefined);
    }
  });
});

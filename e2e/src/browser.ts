// Helpers of the browser tests: the shared Chromium, pages that record problems, and the sign-in
// through the dev IdP's login form.
import path from 'node:path';
import { sealSession, unsealSession, type H3Event } from 'h3';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { SCREENSHOTS } from './paths.js';

export const stack = inject('stack');

export const USERS = {
  admin: { login: 'admin@dezky.test', password: 'admin-password', name: 'Olivia Operator' },
  /** A second platform administrator: reviews the change requests of protected flags. */
  reviewer: { login: 'rita@dezky.test', password: 'rita-password', name: 'Rita Reviewer' },
  alice: { login: 'alice@customer.test', password: 'alice-password', name: 'Alice Customer' },
  bob: { login: 'bob@customer.test', password: 'bob-password', name: 'Bob Customer' },
} as const;
export type TestUser = (typeof USERS)[keyof typeof USERS];

/** Connects to the Chromium started by the global setup. */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(stack.browserWsEndpoint);
}

/**
 * The shared Chromium for the tests of the calling `describe` block: connected before them (ahead
 * of the block's own `beforeAll`, when called first) and disconnected after them. The answer
 * stands for the connection, which exists only while the tests run.
 */
export function sharedBrowser(): Browser {
  let connected: Browser | undefined;
  beforeAll(async () => {
    connected = await connectBrowser();
  });
  afterAll(async () => {
    await connected?.close();
  });
  return new Proxy({} as Browser, {
    get(_target, property) {
      if (!connected) throw new Error('The shared browser is connected before the tests of its block: use it inside them');
      const value: unknown = Reflect.get(connected, property);
      return typeof value === 'function' ? value.bind(connected) : value;
    },
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /**
   * Console errors, page errors, Content-Security-Policy violations, failed requests and requests
   * leaving 127.0.0.1.
   */
  problems: string[];
}

/** A page in a fresh context (its own cookies and storage), 1280×800, light mode, unless `options` say otherwise. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', ...options });
  const problems: string[] = [];
  // Whatever the apps' Content-Security-Policy blocks (a script without the nonce, an inline
  // handler, a foreign resource) is reported by the document itself, before the page's own code.
  await context.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    problems.push(`CSP violation: ${violation}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (violation: string) => void }).__reportCspViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} on ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    // The dev IdP's pages have no icon: the browser's own /favicon.ico request fails there.
    if (url === `${stack.idpBaseUrl}/favicon.ico`) return;
    problems.push(`console error: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // Navigations away from a page cancel its pending requests: not a problem.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on('request', (req) => {
    const { hostname, protocol } = new URL(req.url());
    if (protocol !== 'data:' && hostname !== '127.0.0.1') problems.push(`off-machine request: ${req.url()}`);
  });
  return { context, page, problems };
}

/**
 * Signs in from the app's sign-in page: "Sign in with Dezky ID", then the IdP's login form.
 * Ends back on the app.
 */
export async function signIn(page: Page, appUrl: string, user: TestUser): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Dezky ID' }).click();
  await page.waitForURL((url) => url.origin === stack.idpBaseUrl);
  await page.locator('input[name=login]').fill(user.login);
  await page.locator('input[name=password]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.origin === appUrl && !url.pathname.startsWith('/auth/'));
  await page.waitForLoadState('networkidle');
}

/** Opens the app (signed out), checks the redirect to /login, and signs in. */
export async function openAndSignIn(page: Page, appUrl: string, user: TestUser): Promise<void> {
  await page.goto(appUrl);
  await page.waitForURL(`${appUrl}/login`);
  await signIn(page, appUrl, user);
}

/** A fresh page (see `openPage`) signed in to the app as `user`; its context is closed when that fails. */
export async function openSignedInPage(browser: Browser, appUrl: string, user: TestUser): Promise<TestPage> {
  const opened = await openPage(browser);
  try {
    await openAndSignIn(opened.page, appUrl, user);
  } catch (error) {
    await opened.context.close();
    throw error;
  }
  return opened;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let transitions and icons settle.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The app's session cookie (sealed by nuxt-auth-utils, HTTP-only), or undefined without a session.
 * A cleared session leaves the cookie with an empty value (h3 clears it that way).
 */
export async function sessionCookie(context: BrowserContext, app: 'operator' | 'portal') {
  const cookies = await context.cookies();
  return cookies.find((cookie) => cookie.name === `nuxt-session-${app}` && cookie.value !== '');
}

export function expectNoProblems(problems: string[]): void {
  expect(problems, problems.join('\n')).toEqual([]);
}

/** Fails unless the page recorded at least one problem `expected` matches (what the test provoked) and no other. */
export function expectOnlyProvokedProblems(problems: string[], expected: (problem: string) => boolean): void {
  expect(problems.filter(expected).length, 'the problems the test provoked').toBeGreaterThan(0);
  expectNoProblems(problems.filter((p) => !expected(p)));
}

/** The apps' session settings (packages/nuxt-shared/nuxt.config.ts). */
const SESSION_MAX_AGE_SECONDS = 60 * 60 * 12;

/**
 * Rewrites the server-only part of a sealed session cookie, the way only the app's server could
 * (it takes the app's session password): lets a test give a session a token the API refuses.
 */
export async function forgeSession(
  sealed: string,
  app: 'operator' | 'portal',
  change: (session: { id: string; createdAt: number; data: Record<string, unknown> }) => void,
): Promise<string> {
  const config = { name: `nuxt-session-${app}`, password: stack.sessionPasswords[app], maxAge: SESSION_MAX_AGE_SECONDS };
  const session = (await unsealSession(undefined as never, config, sealed)) as { id: string; createdAt: number; data: Record<string, unknown> };
  change(session);
  const event = { context: { sessions: { [config.name]: session } } } as unknown as H3Event;
  return sealSession(event, config);
}

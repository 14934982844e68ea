// Helpers of the operator's partner, tenant and audit browser tests: real tokens from the dev IdP
// (authorization code + PKCE, as the CLI does) to prepare data through the platform API, and a
// screenshot of the whole dashboard panel (it scrolls inside the page, not the page itself).
import { CLI_REDIRECT_URI, DEFAULT_CLIENT_SECRETS, obtainTokens } from '@dezky/dev-idp';
import type { Page } from 'playwright-core';
import { screenshot, stack, USERS, type TestUser } from '../src/browser.js';

/** A suffix that keeps this run's slugs and keys apart from every other test's. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** An access token for `user` from the app's issuer (`operator` for operator routes). */
export async function accessToken(app: 'operator' | 'portal', user: TestUser): Promise<string> {
  const tokens = await obtainTokens({
    issuer: `${stack.idpBaseUrl}/application/o/dezky-${app}/`,
    clientId: `dezky-${app}`,
    clientSecret: DEFAULT_CLIENT_SECRETS[app],
    redirectUri: CLI_REDIRECT_URI,
    username: user.login,
    password: user.password,
  });
  return tokens.access_token;
}

/** Calls the platform API with a bearer token; throws on anything but 2xx. */
export async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A customer token (audience dezky-portal, so no operator rights) to create tenants with, as any
 * customer signing up would. It is admin@dezky.test's: the portal tests count on alice and bob
 * owning no tenant, and the files share one database.
 */
export const customerToken = () => accessToken('portal', USERS.admin);
export const operatorToken = () => accessToken('operator', USERS.admin);

/**
 * Screenshot of the whole page: the dashboard panel scrolls inside a fixed frame, so the viewport
 * is made as tall as the panel's content first (and put back afterwards).
 */
export async function fullScreenshot(page: Page, name: string): Promise<void> {
  // Toasts of earlier steps would cover the page: hidden for the picture.
  const hideToasts = await page.addStyleTag({ content: '[role="region"][aria-label^="Notifications"] { display: none !important; }' });
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const height = await page.evaluate(() => {
    const panels = [...document.querySelectorAll<HTMLElement>('[data-slot="body"]')];
    const tallest = Math.max(0, ...panels.map((el) => el.scrollHeight - el.clientHeight));
    return document.documentElement.clientHeight + tallest;
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(height)) });
  try {
    await screenshot(page, name);
  } finally {
    await page.setViewportSize(viewport);
    await hideToasts.evaluate((el) => (el as Element).remove());
  }
}

/** Problems recorded by `openPage`, minus the HTTP errors a test provoked on purpose. */
export function unexpected(problems: string[], expected: RegExp[]): string[] {
  return problems.filter((p) => !expected.some((re) => re.test(p)));
}

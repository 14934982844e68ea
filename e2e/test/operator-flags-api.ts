// The platform API as the operator tests call it directly (to prepare data, to change a flag
// behind the browser's back, and to check what the browser shows): an operator access token from
// the dev IdP's authorization code flow (obtainTokens), refreshed well before it expires.
import { APP_SLUGS, applicationMountPath, CLI_REDIRECT_URI, DEFAULT_CLIENT_SECRETS, obtainTokens } from '@dezky/dev-idp';
import type { Page as TestPage } from 'playwright-core';
import { stack, USERS } from '../src/browser.js';

/** The API's flag, as far as these tests read it (the e2e package does not depend on @dezky/contracts). */
export interface Flag {
  key: string;
  description: string;
  state: 'off' | 'on' | 'targeted' | 'rollout';
  pct: number;
  scope: { plans: string[]; tenantSlugs: string[]; partnerSlugs: string[]; environments: string[] };
  version: number;
  /** The ETag: opaque, what a change sends back as If-Match. */
  etag: string;
  history: { at: string; actor: string; changes: Record<string, { from: unknown; to: unknown }> }[];
}

/** Exact counts, and one page (at most 100, sorted) of the slugs that gain and lose the flag. */
export interface FlagImpact {
  total: number;
  before: number;
  after: number;
  gainedCount: number;
  lostCount: number;
  gained: string[];
  lost: string[];
}

let cached: { token: string; until: number } | undefined;

/** An operator-scoped access token of admin@dezky.test. */
export async function operatorToken(): Promise<string> {
  if (cached && cached.until > Date.now()) return cached.token;
  const tokens = await obtainTokens({
    issuer: `${stack.idpBaseUrl}${applicationMountPath('operator')}/`,
    clientId: APP_SLUGS.operator,
    clientSecret: DEFAULT_CLIENT_SECRETS.operator,
    redirectUri: CLI_REDIRECT_URI,
    username: USERS.admin.login,
    password: USERS.admin.password,
  });
  // Tokens last stack.accessTokenTtlSeconds (62 s in the browser tests): keep a wide margin.
  cached = { token: tokens.access_token, until: Date.now() + Math.max(5, tokens.expires_in - 40) * 1000 };
  return cached.token;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  etag: string | null;
}

export async function api<T = unknown>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await operatorToken()}`,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, etag: res.headers.get('etag') };
}

/** Like `api`, but throws unless the status is the expected one. */
export async function apiOk<T = unknown>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  expected = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200,
): Promise<T> {
  const answer = await api<T>(method, path, body);
  if (answer.status !== expected) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A short random suffix, so reruns against the same stack never collide. */
export function runId(): string {
  return Math.random().toString(36).slice(2, 8);
}

/**
 * Tenants for the flag tests: `count` of them across the three plans, so "N of M tenants" is
 * computed over more than a handful. Returns their slugs.
 */
export async function createTenants(prefix: string, count: number): Promise<string[]> {
  const plans = ['starter', 'business', 'enterprise'] as const;
  const slugs: string[] = [];
  for (let i = 0; i < count; i++) {
    const slug = `${prefix}-${String(i + 1).padStart(2, '0')}`;
    await apiOk('POST', '/tenants', { slug, name: `Flag Test ${i + 1}`, plan: plans[i % plans.length] });
    slugs.push(slug);
  }
  return slugs;
}

/** Opens the command palette with its keyboard shortcut. */
export async function openPalette(page: TestPage): Promise<void> {
  await page.keyboard.press('ControlOrMeta+k');
  await page.getByTestId('command-palette').waitFor();
}

// The platform API as the browser tests call it directly: to prepare data, to change something
// behind the browser's back and to check what the browser shows. Real access tokens from the
// stack's dev IdP (authorization code + PKCE, as the CLI does), kept until shortly before they
// expire; the records of the stack's DNS server, as a customer publishes them at their provider.
import { accessTokens, dnsZoneFile, type DnsZone } from '@dezky/test-stack';
import type { AppName } from './apps.js';
import { stack, USERS, type TestUser } from './browser.js';

const tokens = accessTokens(stack);

/** An access token of `user` from the app's issuer (`operator` for operator routes). */
export function accessToken(app: AppName, user: TestUser): Promise<string> {
  return tokens(app, user.login, user.password);
}

/** An operator-scoped token of admin@dezky.test. */
export const operatorToken = () => accessToken('operator', USERS.admin);

/**
 * A customer token (audience dezky-portal, so no operator rights) to create tenants with, as any
 * customer signing up would. It is admin@dezky.test's: the portal tests count on alice and bob
 * owning no tenant, and the files share one database.
 */
export const customerToken = () => accessToken('portal', USERS.admin);

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiAnswer<T> {
  status: number;
  body: T;
  etag: string | null;
}

/** One call of the platform API with a bearer token, answered whatever its status. */
export async function callApi<T = unknown>(
  token: string,
  method: ApiMethod,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, etag: res.headers.get('etag') };
}

/** Calls the platform API with a bearer token; throws on anything but 2xx. */
export async function api<T>(token: string, method: ApiMethod, path: string, body?: unknown): Promise<T> {
  const answer = await callApi<T>(token, method, path, body);
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A suffix that keeps this run's slugs and keys apart from every other test's. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The records of the DNS server the API asks for domain verification records. */
export function dnsZone(): DnsZone {
  return dnsZoneFile(stack.dnsZoneFile);
}

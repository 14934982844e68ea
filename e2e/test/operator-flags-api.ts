// The platform API as the operator's flag tests call it (src/platform-api.ts), always as
// admin@dezky.test on the operator issuer, and the steps those tests share.
import type { Page as TestPage } from 'playwright-core';
import { callApi, operatorToken, type ApiAnswer, type ApiMethod } from '../src/platform-api.js';

export type { Flag, FlagImpact } from '@dezky/contracts';

/** A call of the platform API with admin@dezky.test's operator token, answered whatever its status. */
export async function api<T = unknown>(method: ApiMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
  return callApi<T>(await operatorToken(), method, path, body, headers);
}

/** Like `api`, but throws unless the status is the expected one. */
export async function apiOk<T = unknown>(
  method: ApiMethod,
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

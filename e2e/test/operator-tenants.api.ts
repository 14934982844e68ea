// Helpers of the operator's partner, tenant and audit browser tests: the platform API to prepare
// data with (src/platform-api.ts), and a screenshot of the whole dashboard panel (it scrolls
// inside the page, not the page itself).
import type { Page } from 'playwright-core';
import { screenshot } from '../src/browser.js';

export { accessToken, api, customerToken, operatorToken, uniqueSuffix } from '../src/platform-api.js';

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

// Screenshots a running Dezky app in light and dark mode with the system Chromium, and checks that
// every icon rendered and that the page made no request off this machine.
// Usage: node scripts/screenshot.mjs [baseUrl=http://127.0.0.1:3100] [name=operator] [outDir=/tmp/shots]
/* global document, getComputedStyle -- used inside page.evaluate callbacks, which run in the browser */
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
// The browser tests' Chromium and flags (@dezky/test-stack, built by `pnpm turbo run build`).
import { chromiumLaunchOptions } from '../../../packages/test-stack/dist/chromium.js';

const [baseUrl = 'http://127.0.0.1:3100', name = 'operator', outDir = '/tmp/shots'] = process.argv.slice(2);

await mkdir(outDir, { recursive: true });
const browser = await chromium.launch(chromiumLaunchOptions());

const problems = [];
try {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`[${colorScheme}] console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`[${colorScheme}] page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`[${colorScheme}] request failed: ${req.url()}`));
    page.on('request', (req) => {
      const { hostname } = new URL(req.url());
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname) && !req.url().startsWith('data:')) {
        problems.push(`[${colorScheme}] off-machine request: ${req.url()}`);
      }
    });

    await page.goto(baseUrl, { waitUntil: 'networkidle' });
    await page.getByTestId('color-mode-toggle').waitFor();

    const htmlClass = await page.locator('html').getAttribute('class');
    if (!(htmlClass ?? '').split(/\s+/).includes(colorScheme)) problems.push(`[${colorScheme}] <html class="${htmlClass}">`);

    // Nuxt Icon (css mode) renders <span class="iconify i-lucide:NAME"> painted by a CSS mask.
    const icons = await page.locator('.iconify').evaluateAll((els) =>
      els.map((el) => {
        const style = getComputedStyle(el);
        const mask = style.maskImage || style.webkitMaskImage;
        return { cls: el.className.baseVal ?? el.className, ok: (mask && mask !== 'none') || el.tagName === 'svg' };
      }),
    );
    for (const icon of icons) if (!icon.ok) problems.push(`[${colorScheme}] icon not rendered: ${icon.cls}`);
    console.log(`[${colorScheme}] ${icons.length} icons: ${icons.map((i) => i.cls).join(', ')}`);

    const file = `${outDir}/${name}-${colorScheme}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(`saved ${file}`);

    // The toggle flips the mode.
    await page.getByTestId('color-mode-toggle').click();
    const other = colorScheme === 'light' ? 'dark' : 'light';
    await page.waitForFunction((cls) => document.documentElement.classList.contains(cls), other, { timeout: 5000 })
      .catch(() => problems.push(`[${colorScheme}] toggle did not switch to ${other}`));
    await page.screenshot({ path: `${outDir}/${name}-${colorScheme}-toggled.png` });
    await context.close();
  }

  // Narrow (phone) viewport, light mode.
  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
  const mobilePage = await mobile.newPage();
  await mobilePage.goto(baseUrl, { waitUntil: 'networkidle' });
  await mobilePage.screenshot({ path: `${outDir}/${name}-mobile.png`, fullPage: true });
  console.log(`saved ${outDir}/${name}-mobile.png`);
  await mobile.close();
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
} else {
  console.log('no problems found');
}

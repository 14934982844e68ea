// The browser of the browser tests and of the apps' screenshot scripts: Debian's Chromium, driven
// by playwright-core, headless and quiet offline. Nothing here imports playwright-core: callers
// pass these options to their own `chromium.launch()` or `chromium.launchServer()`.
import { existsSync } from 'node:fs';

/** Debian's Chromium (scripts/chromium.sh installs it); CHROMIUM_PATH overrides. */
export function chromiumExecutable(): string {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: install Debian's chromium (source scripts/chromium.sh && ensure_chromium) or set CHROMIUM_PATH`,
    );
  }
  return executablePath;
}

/** Headless, offline-quiet flags. Playwright adds a fresh temporary --user-data-dir per launch. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** playwright-core's launch options for that Chromium; fails at once, naming the fix, when it is missing. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[]; headless: true } {
  return { executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS], headless: true };
}

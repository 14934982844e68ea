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
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// Signing out is a POST from the app's own pages, and it ends the session on the server: a copy of
// the session cookie taken before is refused afterwards, by every replica of the app.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoProblems, openSignedInPage, sessionCookie, sharedBrowser, stack, USERS } from '../src/browser.js';
import { startReplica } from '../src/apps.js';
import { appUrl, send, signedIn } from '../src/http.js';

describe('signing out', () => {
  const browser = sharedBrowser();

  it('operator: "Sign out" posts /auth/logout, and a copy of the session cookie no longer works', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.admin);
    try {
      const cookie = (await sessionCookie(context, 'operator'))!;
      const copy = `${cookie.name}=${cookie.value}`;
      expect((await send(`${stack.operatorUrl}/api/me`, { headers: { cookie: copy } })).status).toBe(200);

      const signOut = page.waitForRequest((req) => req.url() === `${stack.operatorUrl}/auth/logout`);
      const endSession = page.waitForRequest((req) => req.url().startsWith(`${stack.idpBaseUrl}/`) && new URL(req.url()).searchParams.has('id_token_hint'));
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      expect((await signOut).method()).toBe('POST');
      // One click: the app names the session to end (id_token_hint) and the IdP ends it without asking.
      await endSession;
      await page.waitForURL(`${stack.operatorUrl}/login`);
      // The IdP's session is over too: signing in again asks for the password.
      await page.getByRole('link', { name: 'Sign in with Dezky ID' }).click();
      await page.waitForURL((url) => url.origin === stack.idpBaseUrl);
      await page.locator('input[name=password]').waitFor();
      await page.goto(`${stack.operatorUrl}/login`);
      // The browser holds no signed-in session any more (a page may have given it an empty one).
      expect((await sessionCookie(context, 'operator'))?.value).not.toBe(cookie.value);
      expect(await page.evaluate(async () => (await fetch('/api/_auth/session')).json())).not.toHaveProperty('user');

      // The copy: refused by the API routes, and the pages send it to /login.
      const me = await send(`${stack.operatorUrl}/api/me`, { headers: { cookie: copy, accept: 'application/json' } });
      expect(me.status).toBe(401);
      expect(me.json).toMatchObject({ message: 'Your session has ended. Sign in again.' });
      const home = await send(`${stack.operatorUrl}/flags`, { headers: { cookie: copy, accept: 'text/html' } });
      expect(home.status).toBe(302);
      expect(home.headers.location).toMatch(/^\/login/);
      const session = await send(`${stack.operatorUrl}/api/_auth/session`, { headers: { cookie: copy } });
      expect(session.json).not.toHaveProperty('user');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('operator: the not-admin page signs out with a POST as well', async () => {
    const { context, page, problems } = await openSignedInPage(browser, stack.operatorUrl, USERS.alice);
    try {
      await page.waitForURL(`${stack.operatorUrl}/not-admin`);
      const cookie = (await sessionCookie(context, 'operator'))!;
      const signOut = page.waitForRequest((req) => req.url() === `${stack.operatorUrl}/auth/logout`);
      await page.getByTestId('not-admin-sign-out').click();
      expect((await signOut).method()).toBe('POST');
      await page.waitForURL(`${stack.operatorUrl}/login`);
      expect((await send(`${stack.operatorUrl}/api/me`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })).status).toBe(401);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('portal: a link to /auth/logout signs nobody out', async () => {
    const session = await signedIn(browser, 'portal', USERS.bob);
    try {
      const page = await session.context.newPage();
      const answer = await page.goto(`${stack.portalUrl}/auth/logout`);
      expect(answer?.status()).toBe(405);
      expect(answer?.headers().allow).toBe('POST');
      await page.close();
      expect((await send(`${stack.portalUrl}/api/me`, { headers: { cookie: session.cookie } })).status).toBe(200);
    } finally {
      await session.context.close();
    }
  });

  it('portal: a session signed out on one replica is refused by another', async () => {
    // Records of sessions that have expired by now are removed when a replica starts; others stay.
    const records = path.join(stack.sessionStoreDirs.portal, 'nuxt-session-portal');
    await mkdir(records, { recursive: true });
    await writeFile(path.join(records, 'expired-session'), JSON.stringify({ until: Date.now() - 1000 }));
    await writeFile(path.join(records, 'current-session'), JSON.stringify({ until: Date.now() + 3_600_000 }));
    const replica = await startReplica(
      'portal',
      {
        publicUrl: stack.portalUrl,
        apiUrl: stack.apiUrl,
        issuer: stack.issuers.portal,
        sessionPassword: stack.sessionPasswords.portal,
        sessionStoreDir: stack.sessionStoreDirs.portal,
      },
      stack.logDir,
    );
    const session = await signedIn(browser, 'portal', USERS.alice);
    try {
      const me = (url: string) => send(`${url}/api/me`, { headers: { cookie: session.cookie, accept: 'application/json' } });
      // One session, two processes: both accept it.
      expect((await me(stack.portalUrl)).status).toBe(200);
      expect((await me(replica.url)).status).toBe(200);

      const signOut = await send(`${appUrl('portal')}/auth/logout`, {
        method: 'POST',
        headers: { cookie: session.cookie, origin: stack.portalUrl, 'sec-fetch-site': 'same-origin' },
      });
      expect(signOut.status).toBe(200);
      expect(signOut.json).toMatchObject({ redirect: expect.stringContaining(`${stack.idpBaseUrl}/`) });

      const other = await me(replica.url);
      expect(other.status).toBe(401);
      expect(other.json).toMatchObject({ message: 'Your session has ended. Sign in again.' });
      expect((await me(stack.portalUrl)).status).toBe(401);

      await expect.poll(() => existsSync(path.join(records, 'expired-session'))).toBe(false);
      expect(existsSync(path.join(records, 'current-session'))).toBe(true);
    } finally {
      await session.context.close();
      await replica.stop();
    }
  });
});

// HTTP requests to the apps exactly as written (node:http: no header added or refused, as a
// browser or fetch would), with a session signed in through the browser.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { AppName } from './apps.js';
import { openAndSignIn, openPage, sessionCookie, stack, type TestUser } from './browser.js';

export type { AppName } from './apps.js';

export function appUrl(app: AppName): string {
  return app === 'operator' ? stack.operatorUrl : stack.portalUrl;
}

export interface AppSession {
  context: BrowserContext;
  /** `Cookie` header carrying the app's session cookie. */
  cookie: string;
}

/** Signs `user` in to `app` in a fresh browser context; the context stays open (close it). */
export async function signedIn(browser: Browser, app: AppName, user: TestUser): Promise<AppSession> {
  const { context, page } = await openPage(browser);
  await openAndSignIn(page, appUrl(app), user);
  const cookie = await sessionCookie(context, app);
  if (!cookie) throw new Error(`no session cookie after signing in to ${app}`);
  await page.close();
  return { context, cookie: `${cookie.name}=${cookie.value}` };
}

/**
 * `user` signed in to `app` for the tests of the calling `describe` block, from before them (after
 * the hooks registered ahead of this call, such as `sharedBrowser()`'s) until after them.
 */
export function sharedSession(browser: Browser, app: AppName, user: TestUser): AppSession {
  let session: AppSession | undefined;
  beforeAll(async () => {
    session = await signedIn(browser, app, user);
  });
  afterAll(async () => {
    await session?.context.close();
  });
  const current = (): AppSession => {
    if (!session) throw new Error(`The ${app} session is signed in before the tests of its block: use it inside them`);
    return session;
  };
  return {
    get context() {
      return current().context;
    },
    get cookie() {
      return current().cookie;
    },
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One request, answered in full. */
export function send(url: string, options: RequestOptions = {}): Promise<Answer> {
  const { method = 'GET', headers = {}, body, timeoutMs = 15_000 } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts a request announcing a large body (or a chunked one when `declaredLength` is undefined),
 * sends `chunk` after `chunk` until the server answers, and answers its status and how many bytes
 * were sent by then. Never sends more than `maxBytes`: a server that waits for the whole body
 * makes this fail after `timeoutMs`.
 */
export function sendUntilAnswered(
  url: string,
  options: { method: string; headers: Record<string, string>; declaredLength?: number; maxBytes: number; chunk?: Buffer; timeoutMs?: number },
): Promise<{ status: number; sentBytes: number; json: unknown }> {
  const { method, headers, declaredLength, maxBytes, chunk = Buffer.alloc(64 * 1024, 0x20), timeoutMs = 10_000 } = options;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      url,
      { method, headers: { ...headers, ...(declaredLength !== undefined ? { 'content-length': String(declaredLength) } : { 'transfer-encoding': 'chunked' }) } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, sentBytes: sent, json });
          req.destroy();
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${url}: no answer after sending ${sent} bytes in ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && !req.destroyed && sent + chunk.length <= maxBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

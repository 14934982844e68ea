/**
 * The interaction UI (Authentik's "flows"): a password login form, then implicit consent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type Provider from 'oidc-provider';

import type { ResolvedClient } from './config.js';
import { escapeHtml, page } from './html.js';
import type { UserStore } from './users.js';

const MAX_FORM_BYTES = 64 * 1024;

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new Error('form body too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

interface LoginPageInput {
  actionBase: string;
  client: ResolvedClient;
  login?: string;
  error?: string;
}

function loginPage({ actionBase, client, login, error }: LoginPageInput): string {
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(client.name)}</h1>
${error ? `<p class="error" role="alert" data-dev-idp-error>${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(`${actionBase}/login`)}" data-dev-idp-form="login" autocomplete="off">
<label for="login">Email or username</label>
<input id="login" name="login" type="text" autocomplete="username" required autofocus value="${escapeHtml(login ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(`${actionBase}/abort`)}">
<button type="submit">Cancel</button>
</form>`,
  );
}

export interface InteractionContext {
  provider: Provider;
  client: ResolvedClient;
  users: UserStore;
  mountPath: string;
}

/**
 * Handles `<mountPath>/interaction/<uid>[/login|/abort]`. Returns false when the path is not an
 * interaction path.
 */
export async function handleInteraction(
  context: InteractionContext,
  req: IncomingMessage,
  res: ServerResponse,
  subPath: string,
): Promise<boolean> {
  const match = /^\/interaction\/([^/]+)(?:\/(login|abort))?\/?$/.exec(subPath);
  if (!match) return false;
  const [, uid, action] = match;
  const { provider, client, users, mountPath } = context;
  const actionBase = `${mountPath}/interaction/${uid}`;

  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      sendHtml(res, 400, page('Error', '<h1>Interaction mismatch</h1><p data-dev-idp-error>Start the sign-in again.</p>'));
      return true;
    }
    const { prompt, params } = details;

    if (req.method === 'GET' && !action) {
      if (prompt.name === 'login') {
        const hint = typeof params.login_hint === 'string' ? params.login_hint : undefined;
        sendHtml(res, 200, loginPage({ actionBase, client, ...(hint ? { login: hint } : {}) }));
        return true;
      }
      if (prompt.name === 'consent') {
        await grantConsent(provider, details, req, res);
        return true;
      }
      sendHtml(res, 400, page('Error', `<h1>Unsupported prompt</h1><p data-dev-idp-error>${escapeHtml(prompt.name)}</p>`));
      return true;
    }

    if (req.method === 'POST' && action === 'login') {
      if (prompt.name !== 'login') {
        sendHtml(res, 400, page('Error', '<h1>No login pending</h1><p data-dev-idp-error>Start the sign-in again.</p>'));
        return true;
      }
      const form = await readForm(req);
      const login = form.get('login') ?? '';
      const user = users.authenticate(login, form.get('password') ?? '');
      if (!user) {
        sendHtml(res, 401, loginPage({ actionBase, client, login, error: 'Invalid username or password.' }));
        return true;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
      return true;
    }

    if (req.method === 'POST' && action === 'abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
      return true;
    }

    res.statusCode = 405;
    res.end();
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    sendHtml(res, 400, page('Error', `<h1>Sign-in failed</h1><p data-dev-idp-error>${escapeHtml(message)}</p>`));
    return true;
  }
}

/** Implicit consent (Authentik's default for first-party applications): grant what is asked. */
async function grantConsent(
  provider: Provider,
  details: Awaited<ReturnType<Provider['interactionDetails']>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { prompt, params, session } = details;
  const accountId = session?.accountId;
  if (!accountId) throw new Error('no signed-in account for consent');

  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('grant not found');

  const missingOIDCScope = prompt.details.missingOIDCScope as string[] | undefined;
  const missingOIDCClaims = prompt.details.missingOIDCClaims as string[] | undefined;
  const missingResourceScopes = prompt.details.missingResourceScopes as Record<string, string[]> | undefined;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();

  await provider.interactionFinished(
    req,
    res,
    { consent: details.grantId ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

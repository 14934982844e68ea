/**
 * UserInfo endpoint that accepts the JWT access tokens this IdP issues.
 *
 * oidc-provider's own userinfo endpoint refuses access tokens that carry an audience, but every
 * access token here is an audience-bound JWT (as with Authentik, whose userinfo endpoint accepts
 * them). So `<issuer>userinfo` is answered here: verify the JWT against the issuer's keys and
 * return the user's claims filtered by the token's scope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { readForm } from './interactions.js';
import { SCOPE_CLAIMS, userClaims } from './provider.js';
import type { UserStore } from './users.js';

export interface UserinfoContext {
  issuer: string;
  clientId: string;
  publicJwks: { keys: Record<string, unknown>[] };
  users: UserStore;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Access-Control-Allow-Origin', '*');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(json);
}

function unauthorized(res: ServerResponse, error: string, description: string): void {
  sendJson(res, 401, { error, error_description: description }, {
    'WWW-Authenticate': `Bearer error="${error}", error_description="${description.replace(/"/g, "'")}"`,
  });
}

export function createUserinfoHandler(context: UserinfoContext) {
  const keySet = createLocalJWKSet(context.publicJwks as Parameters<typeof createLocalJWKSet>[0]);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'GET,POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization,Content-Type');
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'use GET or POST' });
      return;
    }

    let token: string | undefined;
    const authorization = req.headers.authorization;
    if (authorization && /^bearer /i.test(authorization)) token = authorization.slice(7).trim();
    if (!token && req.method === 'POST') token = (await readForm(req)).get('access_token') ?? undefined;
    if (!token) {
      unauthorized(res, 'invalid_token', 'no access token provided');
      return;
    }

    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: context.issuer,
        audience: context.clientId,
        algorithms: ['RS256'],
      }));
    } catch (error) {
      unauthorized(res, 'invalid_token', error instanceof Error ? error.message : 'invalid access token');
      return;
    }

    const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
    if (!scopes.has('openid')) {
      sendJson(res, 403, { error: 'insufficient_scope', error_description: 'access token missing openid scope' });
      return;
    }
    const user = payload.sub ? context.users.bySub(payload.sub) : undefined;
    if (!user) {
      unauthorized(res, 'invalid_token', 'unknown subject');
      return;
    }

    const all = userClaims(user);
    const allowed = new Set([...scopes].flatMap((scope) => SCOPE_CLAIMS[scope] ?? []));
    sendJson(res, 200, Object.fromEntries(Object.entries(all).filter(([claim]) => allowed.has(claim))));
  };
}

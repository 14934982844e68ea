import request from 'supertest';
import type { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { createTestApp, type TestApp, type TestAppOptions } from './app';
import { ADMIN, ALICE, BOB, CAROL, startIdentity, type Identity } from './identity';

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';

/** A booted API with the dev IdP, and request helpers per signed-in user. */
export interface Session {
  t: TestApp;
  id: Identity;
  db: Connection;
  admin: Caller;
  alice: Caller;
  bob: Caller;
  carol: Caller;
  anonymous: Caller;
  close(): Promise<void>;
}

export type Caller = Record<Method, (path: string, body?: object) => request.Test>;

export function caller(t: TestApp, token: string | undefined): Caller {
  const make = (method: Method) => (path: string, body?: object) => {
    let req = request(t.app.getHttpServer())[method](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    return body === undefined ? req : req.send(body);
  };
  return { get: make('get'), post: make('post'), patch: make('patch'), delete: make('delete'), put: make('put') };
}

/** The dev IdP and the API booted to trust it; `close` stops both. */
export async function startApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<{ id: Identity; t: TestApp; close(): Promise<void> }> {
  const id = await startIdentity();
  try {
    const t = await createTestApp({ ...id.env, ...env }, options);
    return {
      id,
      t,
      close: async () => {
        await t.close();
        await id.close();
      },
    };
  } catch (error) {
    await id.close();
    throw error;
  }
}

export async function startSession(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<Session> {
  const { id, t, close } = await startApp(env, options);
  const [admin, alice, bob, carol] = await Promise.all([
    id.token('operator', ADMIN),
    id.token('portal', ALICE),
    id.token('portal', BOB),
    id.token('operator', CAROL),
  ]);
  return {
    t,
    id,
    db: t.app.get<Connection>(getConnectionToken()),
    admin: caller(t, admin),
    alice: caller(t, alice),
    bob: caller(t, bob),
    carol: caller(t, carol),
    anonymous: caller(t, undefined),
    close,
  };
}

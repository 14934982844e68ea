import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { inject } from 'vitest';
import { configFromProcessEnv } from '../../src/config/app-config';
import { createApp } from '../../src/configure-app';
import { recordRoutes } from './routes';

export interface TestApp {
  app: NestFastifyApplication;
  dbName: string;
  mongoUrl: string;
  close(): Promise<void>;
}

/** A fresh database name per test file, so files never see each other's data. */
export function freshDbName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A fresh database of the test server, opened before the API boots on it (to store documents as older code wrote them). */
export interface PreparedDatabase {
  /** The API's MONGO_DB_NAME. */
  name: string;
  db: Connection;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

export async function prepareDatabase(prefix: string): Promise<PreparedDatabase> {
  const name = freshDbName(prefix);
  const db = await mongoose.createConnection(inject('mongoUrl'), { dbName: name }).asPromise();
  return {
    name,
    db,
    drop: async () => {
      await db.dropDatabase();
      await db.close();
    },
  };
}

export interface TestAppOptions {
  /** Serve the metrics on a free port of 127.0.0.1 (Metrics.address() says which); off otherwise. */
  metrics?: boolean;
}

/** Boots the real application, as main.ts creates it, against the test MongoDB-wire server. */
export async function createTestApp(overrides: Record<string, string | undefined> = {}, { metrics = false }: TestAppOptions = {}): Promise<TestApp> {
  const mongoUrl = overrides.MONGO_URL ?? inject('mongoUrl');
  const dbName = overrides.MONGO_DB_NAME ?? freshDbName();
  // Budgets stay on (every request still passes through them) but out of reach: one address
  // (127.0.0.1) and a few users make every request here. rate-limits.spec.ts sets real ones.
  const budgets = { RATE_LIMIT_PER_IP: '100000000/10s', RATE_LIMIT_PER_SUBJECT: '100000000/10s', RATE_LIMIT_EVALUATION: '100000000/10s' };
  // Metrics off unless asked: files run in parallel, and METRICS_PORT has one fixed default.
  // No memory release after reloads: it collects the whole worker's heap, which hosts many apps
  // (heap-release.spec.ts tests it on the built API, in a process of its own).
  const config = configFromProcessEnv({ LOG_LEVEL: 'silent', APP_ENV: 'test', METRICS_PORT: '0', HEAP_RELEASE: 'off', ...budgets, ...overrides, MONGO_URL: mongoUrl, MONGO_DB_NAME: dbName });
  if (metrics) config.metrics = { port: 0, host: '127.0.0.1' };
  const routes = recordRoutes();
  const app = await createApp(config, { logger: false, abortOnError: false, onRoute: routes.onRoute });
  routes.attach(app);
  await app.init();
  // Plugins (helmet, Swagger's static files) load on ready; supertest then talks to the server.
  await app.getHttpAdapter().getInstance().ready();
  return { app, dbName, mongoUrl, close: () => app.close() };
}

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { AppModule } from '../../src/app.module';
import { configFromProcessEnv } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';

export interface TestApp {
  app: NestExpressApplication;
  dbName: string;
  mongoUrl: string;
  close(): Promise<void>;
}

/** A fresh database name per test file, so files never see each other's data. */
export function freshDbName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Boots the real application module against the test MongoDB-wire server. */
export async function createTestApp(overrides: Record<string, string | undefined> = {}): Promise<TestApp> {
  const mongoUrl = overrides.MONGO_URL ?? inject('mongoUrl');
  const dbName = overrides.MONGO_DB_NAME ?? freshDbName();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(configFromProcessEnv({ LOG_LEVEL: 'silent', APP_ENV: 'test', ...overrides, MONGO_URL: mongoUrl, MONGO_DB_NAME: dbName })),
    { logger: false, bodyParser: false, abortOnError: false },
  );
  configureApp(app);
  await app.init();
  return { app, dbName, mongoUrl, close: () => app.close() };
}

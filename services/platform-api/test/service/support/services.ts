import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { inject } from 'vitest';
import { mongooseOptions, SERVICE_MODULES } from '../../../src/app.module';
import { ModelsReady } from '../../../src/common/mongo/models-ready';
import { configFromProcessEnv } from '../../../src/config/app-config';
import { AppConfigModule } from '../../../src/config/config.module';
import { freshDbName } from '../../support/app';

/** The email PLATFORM_ADMIN_EMAILS names here: its first sign-in is the platform's administrator. */
export const ROOT_ADMIN = 'root@dezky.test';

/** The feature modules on the test MongoDB-wire server, without HTTP: services called directly. */
export interface Services {
  module: TestingModule;
  db: Connection;
  get: TestingModule['get'];
  close(): Promise<void>;
}

/**
 * Compiles the API's own modules (database, audit and change logs, writes, auth, every feature) against
 * a fresh database, with the configuration the application parses, and runs their boot hooks:
 * the change feed and the read models follow writes exactly as they do in the running API.
 */
export async function startServices(env: Record<string, string> = {}): Promise<Services> {
  const config = configFromProcessEnv({
    LOG_LEVEL: 'silent',
    APP_ENV: 'test',
    // Many of these share one worker's heap: no full collection of it after every reload.
    HEAP_RELEASE: 'off',
    PLATFORM_ADMIN_EMAILS: ROOT_ADMIN,
    ...env,
    MONGO_URL: inject('mongoUrl'),
    MONGO_DB_NAME: freshDbName('service'),
  });
  const { uri, ...options } = mongooseOptions(config);
  const module = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), MongooseModule.forRoot(uri, options), ...SERVICE_MODULES],
    providers: [ModelsReady],
  }).compile();
  await module.init();
  return {
    module,
    db: module.get<Connection>(getConnectionToken()),
    get: module.get.bind(module) as TestingModule['get'],
    close: () => module.close(),
  };
}

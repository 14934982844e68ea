import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { inject } from 'vitest';
import { configFromProcessEnv } from '../../../src/config/app-config';
import { AppConfigModule } from '../../../src/config/config.module';
import { RateLimitsModule } from '../../../src/common/http/rate-limits';
import { DatabaseModule } from '../../../src/common/mongo/database.module';
import { ModelsReady } from '../../../src/common/mongo/models-ready';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import { AuthModule } from '../../../src/modules/auth/auth.module';
import { ChangesModule } from '../../../src/modules/changes/changes.module';
import { FlagsModule } from '../../../src/modules/flags/flags.module';
import { MembershipsModule } from '../../../src/modules/memberships/memberships.module';
import { PartnersModule } from '../../../src/modules/partners/partners.module';
import { TenantsModule } from '../../../src/modules/tenants/tenants.module';
import { UsersModule } from '../../../src/modules/users/users.module';
import { WritesModule } from '../../../src/modules/writes/writes.module';
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
    PLATFORM_ADMIN_EMAILS: ROOT_ADMIN,
    ...env,
    MONGO_URL: inject('mongoUrl'),
    MONGO_DB_NAME: freshDbName('service'),
  });
  const module = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      MongooseModule.forRoot(config.mongoUrl, { dbName: config.mongoDbName, serverSelectionTimeoutMS: 3000, heartbeatFrequencyMS: 1000, autoIndex: true }),
      DatabaseModule,
      RateLimitsModule,
      AuditModule,
      ChangesModule,
      WritesModule,
      AuthModule,
      UsersModule,
      MembershipsModule,
      TenantsModule,
      PartnersModule,
      FlagsModule,
    ],
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

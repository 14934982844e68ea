import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MongooseModule, type MongooseModuleOptions } from '@nestjs/mongoose';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { LOG_REDACTION } from './common/http/access-log';
import { DatabaseModule } from './common/mongo/database.module';
import { ModelsReady } from './common/mongo/models-ready';
import { RateLimitsModule } from './common/http/rate-limits';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG, AppConfigModule } from './config/config.module';
import { DemoDataModule } from './demo/demo-data.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ChangesModule } from './modules/changes/changes.module';
import { HealthModule } from './modules/health/health.module';
import { MeModule } from './modules/me/me.module';
import { FlagUsageModule } from './modules/flag-usage/flag-usage.module';
import { FlagsModule } from './modules/flags/flags.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { MembershipsModule } from './modules/memberships/memberships.module';
import { PartnersModule } from './modules/partners/partners.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { UsersModule } from './modules/users/users.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { WritesModule } from './modules/writes/writes.module';

/** How the API connects to MongoDB (the service tests' modules connect the same way). */
export function mongooseOptions(config: AppConfig): MongooseModuleOptions & { uri: string } {
  return {
    uri: config.mongoUrl,
    dbName: config.mongoDbName,
    // Requests never wait for this: while the driver knows the server is down they answer
    // from memory or 503 at once (DatabaseState). It bounds what was in flight at the cut.
    serverSelectionTimeoutMS: 3000,
    // Notice a returning server quickly so /health and writes recover without a restart.
    heartbeatFrequencyMS: 1000,
    autoIndex: true,
  };
}

/**
 * The API's modules below its HTTP-only ones: the database, the audit and change logs, writes,
 * auth and every feature with its services (the service tests compile exactly these).
 */
export const SERVICE_MODULES = [
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
  FlagUsageModule,
  WebhooksModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              redact: LOG_REDACTION,
            },
            // No per-request middleware: requests are logged by a Fastify hook (see
            // common/http/access-log.ts and configure-app.ts), which costs nothing for the
            // requests it does not log. This module stays the application's logger.
            forRoutes: [],
          }),
        }),
        MongooseModule.forRootAsync({ inject: [APP_CONFIG], useFactory: mongooseOptions }),
        ...SERVICE_MODULES,
        HealthModule,
        MeModule,
        MetricsModule,
        // Development only: the configuration refuses SEED_DEMO_DATA=true in any other APP_ENV.
        ...(config.seedDemoData ? [DemoDataModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }, ModelsReady],
    };
  }
}

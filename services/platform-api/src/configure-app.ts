import { ValidationPipe, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import mongoose from 'mongoose';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ErrorBodyDto } from './common/openapi/error-body.dto';
import { documentErrorResponses } from './common/openapi/error-responses';
import { documentNullables } from './common/openapi/nullable';
import { collectRouteFacts, operationIdOf } from './common/openapi/route-facts';
import { documentValidation } from './common/openapi/validation-schemas';
import { AccessLog } from './common/http/access-log';
import { replayHandedOnBody } from './common/http/handed-on';
import { jsonBodyParser } from './common/http/json-body';
import { RateLimits } from './common/http/rate-limits';
import { requestIdHeaderHook, requestIdOf } from './common/http/request-id';
import { Metrics } from './modules/metrics/metrics';
import { ServingLane } from './modules/flags/serving-lane';
import { securityHeadersHook } from './common/http/security-headers';
import { VALIDATION_OPTIONS } from './common/http/validation';
import type { AppConfig } from './config/app-config';

// Filters are built from client input in many places; strip `$`-operators that were not
// explicitly trusted, and refuse filters on paths the schema does not know.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', 'throw');

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Dezky platform API')
    .setDescription('Tenants, subscriptions, partners, users, audit and feature flags of the Dezky platform.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf, extraModels: [ErrorBodyDto] });
  // What the decorators cannot say route by route is read from the routes' own metadata.
  const routes = collectRouteFacts(app);
  documentValidation(document, routes);
  documentErrorResponses(document, routes);
  documentNullables(document);
  return document;
}

/** Passes `req` and `res` through as given: pino-http's serializers expect Node's objects. */
const asGiven = (value: unknown) => value;

export interface CreateAppOptions extends NestApplicationOptions {
  /** Told of every route as it is registered, Nest's and plugins' alike (the tests list them). */
  onRoute?: (method: string, url: string) => void;
  /**
   * Whether Nest closes the app on SIGTERM and SIGINT itself (the default). main.ts says no:
   * it drains first (SHUTDOWN_DRAIN_MS), then closes.
   */
  shutdownHooks?: boolean;
}

/**
 * The application, on Fastify, set up exactly as it serves: main.ts and the integration
 * tests both create it here, so the two cannot drift apart. Not yet initialised: main.ts
 * listens, the tests call `init()`.
 */
export async function createApp(config: AppConfig, { onRoute, shutdownHooks = true, ...options }: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Forwarded headers are believed from the configured proxies only (default: this host).
    trustProxy: config.trustedProxies,
    // Node's own limit on receiving a request, which Fastify turns off by default.
    requestTimeout: 300_000,
    // The caller's X-Request-Id when it is a plain token, else one of our own (see request-id.ts).
    genReqId: requestIdOf,
    routerOptions: {
      // Routing as before on Express: `/Health/` is `/health`. Parameters keep their case.
      caseSensitive: false,
      ignoreTrailingSlash: true,
      // A too long `:slug` or `:key` names nothing (404 from its pipe), as on Express, rather
      // than the router's 414. Node's header limit bounds the whole URL anyway.
      maxParamLength: 16 * 1024,
    },
  });
  if (onRoute) {
    adapter.getInstance().addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) onRoute(method, route.url);
    });
  }
  // Body parsing is set up below (JSON only); Nest's own parsers would add urlencoded.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { ...options, bodyParser: false });
  configureApp(app, config);
  if (shutdownHooks) app.enableShutdownHooks();
  return app;
}

function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  // One line per request that matters (see access-log.ts), written from Fastify's own hook:
  // no per-request middleware, child logger or async context for requests that are not logged.
  const accessLogger = PinoLogger.root.child({}, { serializers: { req: asGiven, res: asGiven } });
  const accessLog = new AccessLog(accessLogger, { mode: config.accessLog, slowMs: config.logSlowMs });
  fastify.addHook('onResponse', accessLog.hook());
  // Request counts and durations by route template, when metrics are on (served on METRICS_PORT).
  const httpMetrics = app.get(Metrics).http;
  if (httpMetrics) fastify.addHook('onResponse', httpMetrics.hook());

  // JSON bodies only: any other Content-Type with a body is answered 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(fastify));
  // Set by JwtAuthGuard or the serving lane; declared so that every request object has the same shape.
  fastify.decorateRequest('actor', undefined);
  fastify.decorateRequest('budgetCharged', false);
  // The evaluation routes answer their common case in front of Fastify (see ServingLane); what
  // the lane reads and then leaves to Fastify has its body replayed.
  app.get(ServingLane).install(app.getHttpServer(), { accessLog, httpMetrics, trustedProxies: config.trustedProxies, cors: config.corsOrigins.length > 0 });
  fastify.addHook('preParsing', replayHandedOnBody());

  fastify.addHook('onRequest', requestIdHeaderHook());
  fastify.addHook('onRequest', securityHeadersHook());
  // After the headers hook, so a 429 carries them too.
  fastify.addHook('onRequest', app.get(RateLimits).addressHook());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      exposedHeaders: ['ETag', 'X-Flags-Stale'],
      // What the API serves (the `cors` package's default, which Fastify's narrows to GET, HEAD, POST).
      methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
      strictPreflight: false,
    });
  }
  app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}

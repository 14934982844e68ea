import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RATE_LIMIT_BUDGETS } from '@dezky/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { pathOf } from '../../common/http/access-log';
import { RateLimits } from '../../common/http/rate-limits';
import { registerCollected } from '../../common/metrics/collected-metric';
import { HttpMetrics } from '../../common/metrics/http-metrics';
import { DatabaseState } from '../../common/mongo/database-state';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ChangeFeed } from '../changes/change-feed.service';
import { EvaluationCounter } from '../flags/evaluation-counter';
import { EventStreamHub } from '../flags/event-streams';

/** Where the metrics server answers; anything else is 404. */
export const METRICS_PATH = '/metrics';

/**
 * The API's Prometheus metrics, served as text on a port of their own (METRICS_PORT, never the
 * public one) by a bare node:http server that lives as long as the application. One registry
 * per application, not prom-client's global one. Apart from the HTTP request counts (HttpMetrics,
 * fed by a Fastify hook and the serving lane), every value is read at scrape time from what the
 * process keeps anyway: the evaluation counter, the change feed, the event-stream hub, the
 * database state and the rate limits.
 */
@Injectable()
export class Metrics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Metrics.name);
  readonly registry = new Registry();
  /** Undefined when metrics are off: nothing is counted then. */
  readonly http: HttpMetrics | undefined;
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    counter: EvaluationCounter,
    feed: ChangeFeed,
    hub: EventStreamHub,
    database: DatabaseState,
    limits: RateLimits,
  ) {
    if (!config.metrics) return;
    const r = this.registry;
    collectDefaultMetrics({ register: r });
    this.http = new HttpMetrics(r);
    registerCollected(r, 'dezky_flag_evaluations_total', 'Flag evaluations answered by this process, per flag (an answer of every flag counts once for each).', 'counter', () =>
      [...counter.totals()].map(([flag, value]) => ({ labels: { flag }, value })),
    );
    registerCollected(r, 'dezky_snapshot_revision', 'The change-log revision the evaluation snapshot serves: every change up to it is applied.', 'gauge', () => [{ value: feed.revision }]);
    registerCollected(r, 'dezky_snapshot_age_seconds', 'Seconds since the evaluation snapshot was last known current with MongoDB (an applied change, or a read of the change log or stream that found nothing new).', 'gauge', () => [
      { value: Math.max(0, Date.now() - feed.lastCurrentAt) / 1000 },
    ]);
    registerCollected(r, 'dezky_change_stream_lag_seconds', "Seconds from the write of the last change another process made to its application here, for changes that came through the change stream; absent before the first one and while polling.", 'gauge', () => {
      const lag = feed.streamLagMs;
      return lag === undefined ? [] : [{ value: lag / 1000 }];
    });
    registerCollected(r, 'dezky_sse_open_streams', 'Open OFREP event streams on this process.', 'gauge', () => [{ value: hub.size }]);
    registerCollected(r, 'dezky_mongodb_up', 'Whether the driver knows a writable MongoDB server (1) or none (0).', 'gauge', () => [{ value: database.available ? 1 : 0 }]);
    registerCollected(r, 'dezky_rate_limited_requests_total', 'Requests answered 429, per request budget.', 'counter', () => {
      const refused = limits.refused();
      return RATE_LIMIT_BUDGETS.map((budget) => ({ labels: { budget }, value: refused[budget] }));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const where = this.config.metrics;
    if (!where) return;
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(where.port, where.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw new Error(`the metrics port could not be opened on ${where.host}:${where.port} (METRICS_HOST, METRICS_PORT): ${error instanceof Error ? error.message : String(error)}`);
    });
    this.server = server;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Where the metrics server listens; undefined when metrics are off. */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' || pathOf(req.url ?? '') !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the metrics are at GET /metrics\n');
      return;
    }
    try {
      const text = await this.registry.metrics();
      res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' }).end(text);
    } catch (error) {
      this.logger.warn(`collecting the metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected\n');
    }
  }
}

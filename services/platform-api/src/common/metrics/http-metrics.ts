import { UNMATCHED_ROUTE } from '@dezky/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { registerCollected, type Sample } from './collected-metric';

/** Upper bounds of dezky_http_request_duration_seconds, 1 ms to 5 s. */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

interface Tally {
  count: number;
  /** Seconds. */
  sum: number;
  /** Requests per bucket, not cumulative; the last one is +Inf. */
  buckets: number[];
}

/**
 * dezky_http_requests_total and dezky_http_request_duration_seconds, by method, route template
 * and status. A finished request costs three Map lookups (route, method, status: no string is
 * built), two increments and a bucket search; the Prometheus lines are written at scrape time.
 * Fastify's requests reach it through `hook()`, the serving lane's through `observe()`.
 */
export class HttpMetrics {
  private readonly tallies = new Map<string, Map<string, Map<number, Tally>>>();

  constructor(registry: Registry) {
    registerCollected(registry, 'dezky_http_requests_total', 'HTTP requests answered, by method, route template and status.', 'counter', () =>
      this.lines((labels, t) => [{ labels, value: t.count }]),
    );
    registerCollected(registry, 'dezky_http_request_duration_seconds', 'Time from receiving an HTTP request to its answer, by method, route template and status.', 'histogram', () =>
      this.lines((labels, t) => {
        const lines: Sample[] = [];
        let cumulative = 0;
        HTTP_DURATION_BUCKETS.forEach((le, i) => {
          cumulative += t.buckets[i]!;
          lines.push({ metricName: 'dezky_http_request_duration_seconds_bucket', labels: { ...labels, le }, value: cumulative });
        });
        lines.push({ metricName: 'dezky_http_request_duration_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: t.count });
        lines.push({ metricName: 'dezky_http_request_duration_seconds_sum', labels, value: t.sum });
        lines.push({ metricName: 'dezky_http_request_duration_seconds_count', labels, value: t.count });
        return lines;
      }),
    );
  }

  /** One answered request. `route` is the route template (never the URL), `ms` its duration. */
  observe(method: string, route: string, status: number, ms: number): void {
    let byMethod = this.tallies.get(route);
    if (!byMethod) this.tallies.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let tally = byStatus.get(status);
    if (!tally) byStatus.set(status, (tally = { count: 0, sum: 0, buckets: new Array<number>(HTTP_DURATION_BUCKETS.length + 1).fill(0) }));
    const seconds = ms / 1000;
    tally.count++;
    tally.sum += seconds;
    let i = 0;
    while (i < HTTP_DURATION_BUCKETS.length && seconds > HTTP_DURATION_BUCKETS[i]!) i++;
    tally.buckets[i]!++;
  }

  /** A Fastify `onResponse` hook: requests that matched no route are `unmatched`. */
  hook() {
    return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      this.observe(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime);
      done();
    };
  }

  private lines(of: (labels: Record<string, string>, tally: Tally) => Sample[]): Sample[] {
    const lines: Sample[] = [];
    for (const [route, byMethod] of this.tallies) {
      for (const [method, byStatus] of byMethod) {
        for (const [status, tally] of byStatus) lines.push(...of({ method, route, status: String(status) }, tally));
      }
    }
    return lines;
  }
}

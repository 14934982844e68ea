import type { Metric, Registry } from 'prom-client';

/** One line of a metric: its labels and value (`metricName` for a histogram's `_bucket`, `_sum`, `_count`). */
export interface Sample {
  labels?: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export type CollectedType = 'counter' | 'gauge' | 'histogram';

/**
 * A metric whose lines are read at scrape time from what the process keeps in memory anyway:
 * nothing is recorded through prom-client on a request's path. `collect` returns the lines
 * (none: the metric is listed with its HELP and TYPE and no value).
 */
export function registerCollected(registry: Registry, name: string, help: string, type: CollectedType, collect: () => Sample[]): void {
  const get = () => Promise.resolve({ name, help, type, aggregator: 'sum' as const, values: collect() });
  registry.registerMetric({ name, help, type, aggregator: 'sum', get, reset: () => undefined, getForPromString: get } as unknown as Metric);
}

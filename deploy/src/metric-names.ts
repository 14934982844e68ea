import { METRIC_NAMES, type MetricName } from '@dezky/contracts';

/**
 * The Prometheus metrics platform-api exports on METRICS_PORT at /metrics (their names are
 * contracts' METRIC_NAMES), with what the dashboard and alert rules rely on: type and labels.
 * The Grafana dashboard (deploy/grafana) and the chart's PrometheusRule may query these and
 * nothing else of the API's own.
 */
export interface DezkyMetric {
  name: MetricName;
  type: 'counter' | 'gauge' | 'histogram';
  labels: readonly string[];
  help: string;
}

const DETAILS: Record<MetricName, Omit<DezkyMetric, 'name'>> = {
  dezky_http_requests_total: { type: 'counter', labels: ['method', 'route', 'status'], help: 'HTTP requests answered, by method, route pattern and status code' },
  dezky_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status'], help: 'Time to answer HTTP requests' },
  dezky_flag_evaluations_total: { type: 'counter', labels: ['flag'], help: 'Flag evaluations, by flag key' },
  dezky_snapshot_revision: { type: 'gauge', labels: [], help: 'Revision of the flag snapshot this process serves' },
  dezky_snapshot_age_seconds: { type: 'gauge', labels: [], help: 'Seconds since this process last brought its snapshot up to date' },
  dezky_change_stream_lag_seconds: { type: 'gauge', labels: [], help: 'Delay between a change being written and this process applying it' },
  dezky_sse_open_streams: { type: 'gauge', labels: [], help: 'Flag-change event streams open on this process' },
  dezky_mongodb_up: { type: 'gauge', labels: [], help: '1 when MongoDB answers this process, 0 when not' },
  dezky_rate_limited_requests_total: { type: 'counter', labels: ['budget'], help: 'Requests refused by a rate-limit budget' },
};

export const DEZKY_METRICS: readonly DezkyMetric[] = METRIC_NAMES.map((name) => ({ name, ...DETAILS[name] }));

/** prom-client's default metrics (collectDefaultMetrics, prom-client 15), on Linux. */
export const PROM_CLIENT_DEFAULT_METRICS: readonly string[] = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
];

/** Series Prometheus itself writes for every scrape target. */
export const PROMETHEUS_SCRAPE_METRICS: readonly string[] = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** Every series name a query may use: histograms as their _bucket, _sum and _count series. */
export function knownSeries(): Set<string> {
  const names = new Set<string>([...PROM_CLIENT_DEFAULT_METRICS, ...PROMETHEUS_SCRAPE_METRICS]);
  for (const metric of DEZKY_METRICS) {
    if (metric.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    } else {
      names.add(metric.name);
    }
  }
  names.add('nodejs_gc_duration_seconds_bucket');
  names.add('nodejs_gc_duration_seconds_sum');
  names.add('nodejs_gc_duration_seconds_count');
  return names;
}

/** PromQL's functions, aggregations and keywords: the words of a query that are not series names. */
const PROMQL_WORDS = new Set([
  'abs', 'absent', 'absent_over_time', 'avg', 'avg_over_time', 'bottomk', 'ceil', 'changes', 'clamp', 'clamp_max', 'clamp_min',
  'count', 'count_over_time', 'count_values', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'delta', 'deriv',
  'exp', 'floor', 'group', 'histogram_quantile', 'holt_winters', 'hour', 'idelta', 'increase', 'irate', 'label_join',
  'label_replace', 'last_over_time', 'ln', 'log10', 'log2', 'max', 'max_over_time', 'min', 'min_over_time', 'minute', 'month',
  'predict_linear', 'present_over_time', 'quantile', 'quantile_over_time', 'rate', 'resets', 'round', 'scalar', 'sgn', 'sort',
  'sort_desc', 'sqrt', 'stddev', 'stddev_over_time', 'stdvar', 'stdvar_over_time', 'sum', 'sum_over_time', 'time',
  'timestamp', 'topk', 'vector', 'year', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or',
  'unless', 'offset', 'inf', 'nan',
]);

/**
 * The series names a PromQL expression reads. Label matchers, grouping label lists, strings,
 * ranges, numbers and Grafana's $variables are not names; what is left besides PromQL's own
 * words is.
 */
export function seriesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\$\{?\w+(:\w+)?\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    if (PROMQL_WORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

/**
 * The Prometheus metrics the platform API serves on its metrics port (METRICS_PORT, `GET /metrics`).
 * Dashboards and alert rules are written against these names; the API's tests check that a scrape
 * exports every one of them.
 */
export const METRIC_NAMES = [
  'dezky_http_requests_total',
  'dezky_http_request_duration_seconds',
  'dezky_flag_evaluations_total',
  'dezky_snapshot_revision',
  'dezky_snapshot_age_seconds',
  'dezky_change_stream_lag_seconds',
  'dezky_sse_open_streams',
  'dezky_mongodb_up',
  'dezky_rate_limited_requests_total',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** The `budget` label of dezky_rate_limited_requests_total: RATE_LIMIT_PER_IP, RATE_LIMIT_PER_SUBJECT, RATE_LIMIT_EVALUATION. */
export const RATE_LIMIT_BUDGETS = ['per-ip', 'per-subject', 'evaluation'] as const;

export type RateLimitBudget = (typeof RATE_LIMIT_BUDGETS)[number];

/** The `route` label of a request that matched no route (the raw URL is never a label). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The header a request id travels in, from the apps to the API and back in its answers. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A request id the API takes from its caller: 1 to 128 letters, digits, `.`, `_`, `:` or `-`.
 * The API replaces any other with one of its own; the apps pass on only one it would take.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_VALUES, find, helmTemplate, objects } from '../src/helm.js';
import { DEZKY_METRICS, knownSeries, seriesIn } from '../src/metric-names.js';
import { DEPLOY } from '../src/paths.js';

const DASHBOARD = path.join(DEPLOY, 'grafana/dezky-platform.json');

interface Target {
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
  templating: { list: { name: string; datasource?: { uid: string }; query: string | { query: string } }[] };
}
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
}

function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
}

function panels(list: Panel[]): Panel[] {
  return list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
}

/** Every PromQL expression of the dashboard: its panels' queries, and the metrics its variables list labels of. */
function dashboardExpressions(d: Dashboard): string[] {
  const queries = panels(d.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const variables = d.templating.list.map((v) => {
    const query = typeof v.query === 'string' ? v.query : v.query.query;
    const metric = /^label_values\(([^,]+),\s*\w+\)$/.exec(query)?.[1];
    if (!metric) throw new Error(`variable ${v.name}: expected label_values(<series>, <label>), got ${query}`);
    return metric;
  });
  return [...queries, ...variables];
}

function rules(): Rule[] {
  const result = helmTemplate([FULL_VALUES]);
  expect(result.status, result.stderr).toBe(0);
  const rule = find<{ spec: { groups: { rules: Rule[] }[] } }>(objects(result.stdout), 'PrometheusRule', 'dezky-api');
  return rule.spec.groups.flatMap((g) => g.rules);
}

function unknownSeries(expressions: string[]): string[] {
  const known = knownSeries();
  return [...new Set(expressions.flatMap(seriesIn))].filter((name) => !known.has(name));
}

describe('seriesIn', () => {
  it('finds the series of an expression, not its labels, strings, ranges, functions or variables', () => {
    expect(
      seriesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(dezky_http_request_duration_seconds_bucket{job=~"$job", route!="up"}[$__rate_interval]))) / on (instance) group_left up offset 5m > 1e3',
      ).sort(),
    ).toEqual(['dezky_http_request_duration_seconds_bucket', 'up']);
  });

  it('reports a name that is not a known metric', () => {
    expect(unknownSeries(['sum(rate(dezky_http_requests_totals[5m])) / sum(process_cpu_seconds_total)', 'dezky_flags_evaluated'])).toEqual([
      'dezky_http_requests_totals',
      'dezky_flags_evaluated',
    ]);
  });
});

describe('the Grafana dashboard deploy/grafana/dezky-platform.json', () => {
  it('is JSON taking its Prometheus as the DS_PROMETHEUS input, in every panel and query', () => {
    const d = dashboard();
    expect(d.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const queried = panels(d.panels).filter((p) => p.type !== 'row');
    expect(queried.length).toBeGreaterThan(10);
    for (const p of queried) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
    }
    for (const v of d.templating.list) expect(v.datasource?.uid, v.name).toBe('${DS_PROMETHEUS}');
  });

  it("queries only the API's metrics (deploy/src/metric-names.ts), prom-client's defaults and Prometheus' own", () => {
    expect(unknownSeries(dashboardExpressions(dashboard()))).toEqual([]);
  });

  it("shows each of the API's metrics", () => {
    const used = new Set(dashboardExpressions(dashboard()).flatMap(seriesIn));
    for (const metric of DEZKY_METRICS) {
      const series = metric.type === 'histogram' ? `${metric.name}_bucket` : metric.name;
      expect(used.has(series), metric.name).toBe(true);
    }
  });

  it('has the latency percentiles by route, the top flags, and process memory and CPU', () => {
    const exprs = panels(dashboard().panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    for (const q of ['0.5', '0.95', '0.99']) {
      expect(exprs.some((e) => e.startsWith(`histogram_quantile(${q}, sum by (le, route) (`)), q).toBe(true);
    }
    expect(exprs.some((e) => /^topk\(\d+, sum by \(flag\) \(rate\(dezky_flag_evaluations_total/.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('process_resident_memory_bytes'))).toBe(true);
    expect(exprs.some((e) => e.includes('rate(process_cpu_seconds_total'))).toBe(true);
  });
});

describe("the chart's PrometheusRule", () => {
  it("alerts only on the API's metrics and Prometheus' own", () => {
    const all = rules();
    expect(all.length).toBeGreaterThan(0);
    expect(unknownSeries(all.map((r) => r.expr))).toEqual([]);
  });

  it('alerts when the API is down, its snapshot is over 60 s old, or over 5% of answers are 5xx', () => {
    const byName = Object.fromEntries(rules().map((r) => [r.alert, r.expr]));
    expect(byName.DezkyApiDown).toBe('up{job="dezky-api"} == 0');
    expect(byName.DezkyApiAbsent).toBe('absent(up{job="dezky-api"})');
    expect(byName.DezkySnapshotStale).toBe('dezky_snapshot_age_seconds{job="dezky-api"} > 60');
    expect(byName.DezkyApiErrorRate).toBe(
      'sum(rate(dezky_http_requests_total{job="dezky-api",status=~"5.."}[5m])) / sum(rate(dezky_http_requests_total{job="dezky-api"}[5m])) > 0.05',
    );
    expect(byName.DezkyMongoDown).toBe('dezky_mongodb_up{job="dezky-api"} == 0');
  });

  it('is scraped by the ServiceMonitor from the metrics port', () => {
    const all = objects(helmTemplate([FULL_VALUES]).stdout);
    const monitor = find<{ spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } }>(all, 'ServiceMonitor', 'dezky-api');
    const service = find(all, 'Service', 'dezky-api');
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels?.[k], k).toBe(v);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
  });
});

import { Resolver } from 'node:dns';
import { ENVIRONMENTS } from '@dezky/contracts';
import { z } from 'zod';
import { sampleSecretInUse } from './sample-secrets';

/**
 * The API's whole configuration, parsed and validated once at boot. Nothing outside
 * src/config/ reads process.env: everything else receives this typed object.
 */
const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0),
  );

/** Whether Node's resolver takes these servers (`1.2.3.4`, `1.2.3.4:5353`, `[::1]:53`): its own parser decides. */
function resolverAccepts(servers: string[]): boolean {
  try {
    new Resolver().setServers(servers);
    return true;
  } catch {
    return false;
  }
}

/** Request body sizes as body-parser spelled them: 1kb = 1024 bytes. */
const BYTE_UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;

/** `100kb` -> 102400. */
export function parseByteSize(size: string): number {
  const match = /^(\d+)(b|kb|mb)$/.exec(size);
  if (!match) throw new Error(`Not a byte size: ${size}`);
  return Number(match[1]) * BYTE_UNITS[match[2] as keyof typeof BYTE_UNITS];
}

/** A request budget: `600/10s` (at most 600 requests per 10 seconds), or `off`. */
export interface RateLimit {
  points: number;
  durationSec: number;
}
const RATE_LIMIT_UNITS = { s: 1, m: 60 } as const;
const rateLimit = (fallback: string) =>
  z
    .string()
    .regex(/^(off|[1-9]\d{0,8}\/[1-9]\d{0,4}[sm])$/, 'must look like 600/10s or 1000/1m, or be off')
    .default(fallback)
    .transform((v): RateLimit | undefined => {
      if (v === 'off') return undefined;
      const [points, window] = v.split('/') as [string, string];
      return { points: Number(points), durationSec: Number(window.slice(0, -1)) * RATE_LIMIT_UNITS[window.at(-1) as 's' | 'm'] };
    });

/** A whole number from `min` to `max` (in `unit`), `fallback` when unset. */
const wholeNumber = (min: number, max: number, fallback: number, unit: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number of ${unit} from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number of ${unit} from ${min} to ${max}`)
    .default(fallback);

export const ACCESS_LOG_MODES = ['all', 'sampled', 'off'] as const;
export type AccessLogMode = (typeof ACCESS_LOG_MODES)[number];

export const configSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number (1-65535)' }).int('must be a port number (1-65535)').min(1, 'must be a port number (1-65535)').max(65535, 'must be a port number (1-65535)').default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z
    .string({ error: 'is required (for example mongodb://127.0.0.1:27017/dezky)' })
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URL'),
  MONGO_DB_NAME: z.string().min(1).optional(),
  APP_ENV: z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(', ')}` }).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, 'must look like 100kb or 1mb')
    .default('100kb'),
  // Successful requests' access log; errors and slow requests are logged whatever this says.
  ACCESS_LOG: z.enum(ACCESS_LOG_MODES, { error: `must be one of ${ACCESS_LOG_MODES.join(', ')}` }).optional(),
  LOG_SLOW_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds (0 turns slow-request logging off)')
    .transform(Number)
    .default(500),
  CORS_ORIGINS: commaList.default([]),
  // Proxies whose X-Forwarded-For is believed for the client's address (per-address budgets,
  // logs): addresses, CIDR ranges, or proxy-addr's names loopback, linklocal, uniquelocal.
  TRUSTED_PROXIES: commaList
    .refine((list) => list.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(p)), 'must be a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal')
    .default(['loopback']),
  // Each Authentik application is its own issuer: https://<host>/application/o/<slug>/
  AUTHENTIK_ISSUERS: commaList
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) issuer URLs' })))
    .default([]),
  AUTHENTIK_AUDIENCE: commaList.pipe(z.array(z.string()).min(1, 'must name at least one audience')).default(['dezky-portal', 'dezky-operator']),
  PLATFORM_ADMIN_EMAILS: commaList.transform((list) => list.map((e) => e.toLowerCase())).default([]),
  AUTHENTIK_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AUTHENTIK_API_TOKEN: z.string().min(1).optional(),
  // How other API processes' changes reach this one: a change stream where MongoDB offers one
  // (auto), or polling the change log (off: for servers whose change streams are unreliable).
  CHANGE_STREAMS: z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto'),
  // After a full reload of the read models, give the memory it left behind back to the system
  // (common/memory/heap-release.ts); off for processes that host many API instances (tests).
  HEAP_RELEASE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  // Request budgets, counted in memory by each process (see README, "Rate limits"). Per client
  // address for every request, before authentication; per token subject after it, with
  // evaluation (POST /flags/evaluate, OFREP, its event streams) on its own, larger budget.
  RATE_LIMIT_PER_IP: rateLimit('6000/10s'),
  RATE_LIMIT_PER_SUBJECT: rateLimit('600/10s'),
  RATE_LIMIT_EVALUATION: rateLimit('3000/10s'),
  // Signs the URLs of the flag-change event streams; every replica must share it.
  EVENT_STREAM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Approvals a change request of a protected flag needs, each from an administrator other than its author.
  FLAG_CHANGE_APPROVALS: z.coerce.number({ error: 'must be a whole number from 1 to 5' }).int('must be a whole number from 1 to 5').min(1, 'must be a whole number from 1 to 5').max(5, 'must be a whole number from 1 to 5').default(1),
  // Development only: seed a demo set of partners, tenants, members and flags at boot (src/demo/).
  SEED_DEMO_DATA: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  // A flag is potentially stale after this many days unchanged in a final state, or unevaluated.
  FLAG_STALE_DAYS: wholeNumber(1, 365, 30, 'days'),
  // How often each process adds the evaluations it counted to MongoDB, in milliseconds.
  FLAG_USAGE_FLUSH_MS: wholeNumber(100, 600_000, 10_000, 'milliseconds'),
  // How often each process looks for due steps of planned flag ramps, in milliseconds (0: never).
  FLAG_SCHEDULE_TICK_MS: z
    .string()
    .regex(/^\d{1,7}$/, 'must be 0 (the scheduler off) or a whole number of milliseconds from 100 to 3600000')
    .transform(Number)
    .refine((n) => n === 0 || (n >= 100 && n <= 3_600_000), 'must be 0 (the scheduler off) or a whole number of milliseconds from 100 to 3600000')
    .default(1000),
  // The DNS servers asked for domains' verification records; the system's when unset.
  DNS_RESOLVER: commaList.pipe(z.array(z.string()).refine(resolverAccepts, 'must be comma-separated IP addresses, each with an optional port (127.0.0.1:5353, [::1]:53)')).optional(),
  // How often each process looks for webhook deliveries that are due; 0: never by itself.
  WEBHOOKS_POLL_MS: z.string().regex(/^\d+$/, 'must be a whole number of milliseconds (0 turns polling off)').transform(Number).default(1000),
  // How long one delivery attempt may take, connection to answer.
  WEBHOOKS_TIMEOUT_MS: z.string().regex(/^[1-9]\d{0,5}$/, 'must be a whole number of milliseconds (1-999999)').transform(Number).default(5000),
  // Tests only: endpoints on 127.0.0.1 / ::1, and over http. Refused in production.
  WEBHOOKS_ALLOW_LOOPBACK: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  // Prometheus metrics (GET /metrics) on a port of their own, never the public one; 0 turns them off.
  METRICS_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number (1-65535), or 0 to turn metrics off')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be a port number (1-65535), or 0 to turn metrics off')
    .default(9464),
  // After SIGTERM: how long the API goes on serving, its readiness probe already answering 503,
  // before it stops listening (longer than the load balancer's health-check interval).
  SHUTDOWN_DRAIN_MS: wholeNumber(0, 120_000, 0, 'milliseconds'),
  // Where the metrics port listens; the API's HOST when unset.
  METRICS_HOST: z.string().min(1, 'must be a host name or address (or unset: the API\'s HOST)').optional(),
});

export type AppConfig = {
  port: number;
  host: string;
  mongoUrl: string;
  mongoDbName: string | undefined;
  appEnv: (typeof ENVIRONMENTS)[number];
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  bodyLimit: string;
  /** BODY_LIMIT in bytes. */
  bodyLimitBytes: number;
  /** Which successful requests get an access log line: every one, 1 in 100, or none. */
  accessLog: AccessLogMode;
  /** Requests taking at least this long are logged as slow; 0 turns it off. */
  logSlowMs: number;
  corsOrigins: string[];
  /** Fastify's trustProxy: whose X-Forwarded-For gives the client's address. */
  trustedProxies: string[];
  auth: {
    issuers: string[];
    audiences: string[];
    /** Verified emails that are granted platformAdmin when their user is first created. */
    platformAdminEmails: string[];
  };
  authentikApi: { url: string; token: string } | undefined;
  /** Follow the change log through a change stream when the server offers one (else poll it). */
  changeStreams: boolean;
  /** Return the memory a full reload of the read models left behind (HeapRelease). */
  heapRelease: boolean;
  /** Request budgets; undefined turns that one off. */
  rateLimits: { perIp: RateLimit | undefined; perSubject: RateLimit | undefined; evaluation: RateLimit | undefined };
  /** Key of the event-stream URLs; random per process when not configured (one replica only). */
  eventStreamSecret: string | undefined;
  /** DNS servers for domain verification lookups; undefined: the system's resolver configuration. */
  dnsResolvers: string[] | undefined;
  /** Seed the demo data set at boot (development only; idempotent). */
  seedDemoData: boolean;
  /** Evaluation counts: when a flag counts as potentially stale, and how often counts are stored. */
  flagUsage: { staleDays: number; flushMs: number };
  /** Milliseconds between the scheduler's looks for due steps of planned ramps; 0: it never looks by itself. */
  flagScheduleTickMs: number;
  webhooks: {
    /** Milliseconds between looks for due deliveries; 0: only when asked (tests drive the worker). */
    pollMs: number;
    /** Bound of one delivery attempt. */
    timeoutMs: number;
    /** Endpoints on loopback addresses, and over http, are accepted (never in production). */
    allowLoopback: boolean;
  };
  /** Approvals a protected flag's change request needs, from administrators other than its author. */
  flagChangeApprovals: number;
  /** Where GET /metrics is served (Prometheus text format); undefined: metrics are off. Port 0 (never from METRICS_PORT, which turns them off): any free port. */
  metrics: { port: number; host: string } | undefined;
  /** After SIGTERM, how long the process goes on serving (readiness 503) before it closes. */
  shutdownDrainMs: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses raw environment variables; throws a ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const c = result.data;
  if (c.APP_ENV === 'production' && !c.EVENT_STREAM_SECRET) {
    throw new ConfigError(['EVENT_STREAM_SECRET: is required when APP_ENV=production (replicas must share it)']);
  }
  const sample = sampleSecretInUse(c);
  if (sample) throw new ConfigError([sample]);
  if (c.SEED_DEMO_DATA === 'true' && c.APP_ENV !== 'development') {
    throw new ConfigError([`SEED_DEMO_DATA: demo data is seeded in development only, never with APP_ENV=${c.APP_ENV}`]);
  }
  if (c.WEBHOOKS_ALLOW_LOOPBACK === 'true' && c.APP_ENV === 'production') {
    throw new ConfigError(['WEBHOOKS_ALLOW_LOOPBACK: webhook endpoints on loopback addresses are for tests, never with APP_ENV=production']);
  }
  if (c.METRICS_PORT !== 0 && c.METRICS_PORT === c.PORT) {
    throw new ConfigError([`METRICS_PORT: must differ from PORT (${c.PORT}): metrics are never served on the public port`]);
  }
  return {
    port: c.PORT,
    host: c.HOST,
    mongoUrl: c.MONGO_URL,
    mongoDbName: c.MONGO_DB_NAME,
    appEnv: c.APP_ENV,
    logLevel: c.LOG_LEVEL,
    bodyLimit: c.BODY_LIMIT,
    bodyLimitBytes: parseByteSize(c.BODY_LIMIT),
    // Deployed environments sample; on a workstation every request shows.
    accessLog: c.ACCESS_LOG ?? (c.APP_ENV === 'staging' || c.APP_ENV === 'production' ? 'sampled' : 'all'),
    logSlowMs: c.LOG_SLOW_MS,
    corsOrigins: c.CORS_ORIGINS,
    trustedProxies: c.TRUSTED_PROXIES,
    auth: {
      issuers: c.AUTHENTIK_ISSUERS,
      audiences: c.AUTHENTIK_AUDIENCE,
      platformAdminEmails: c.PLATFORM_ADMIN_EMAILS,
    },
    authentikApi: c.AUTHENTIK_API_URL && c.AUTHENTIK_API_TOKEN ? { url: c.AUTHENTIK_API_URL, token: c.AUTHENTIK_API_TOKEN } : undefined,
    changeStreams: c.CHANGE_STREAMS === 'auto',
    heapRelease: c.HEAP_RELEASE === 'on',
    eventStreamSecret: c.EVENT_STREAM_SECRET,
    rateLimits: { perIp: c.RATE_LIMIT_PER_IP, perSubject: c.RATE_LIMIT_PER_SUBJECT, evaluation: c.RATE_LIMIT_EVALUATION },
    dnsResolvers: c.DNS_RESOLVER?.length ? c.DNS_RESOLVER : undefined,
    seedDemoData: c.SEED_DEMO_DATA === 'true',
    flagUsage: { staleDays: c.FLAG_STALE_DAYS, flushMs: c.FLAG_USAGE_FLUSH_MS },
    flagScheduleTickMs: c.FLAG_SCHEDULE_TICK_MS,
    webhooks: { pollMs: c.WEBHOOKS_POLL_MS, timeoutMs: c.WEBHOOKS_TIMEOUT_MS, allowLoopback: c.WEBHOOKS_ALLOW_LOOPBACK === 'true' },
    flagChangeApprovals: c.FLAG_CHANGE_APPROVALS,
    metrics: c.METRICS_PORT === 0 ? undefined : { port: c.METRICS_PORT, host: c.METRICS_HOST ?? c.HOST },
    shutdownDrainMs: c.SHUTDOWN_DRAIN_MS,
  };
}

/** The one place that reads the process environment. */
export function configFromProcessEnv(overrides: Record<string, string | undefined> = {}): AppConfig {
  return parseConfig({ ...process.env, ...overrides });
}

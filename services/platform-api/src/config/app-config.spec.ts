import { ConfigError, parseByteSize, parseConfig } from './app-config';

describe('parseConfig', () => {
  const valid = { MONGO_URL: 'mongodb://127.0.0.1:27017/dezky' };

  it('applies the defaults', () => {
    expect(parseConfig(valid)).toMatchObject({ port: 3001, host: '127.0.0.1', appEnv: 'development', bodyLimit: '100kb', corsOrigins: [] });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '3.5' }, 'PORT'],
    [{ APP_ENV: 'moon' }, 'APP_ENV'],
    [{ MONGO_URL: 'postgres://x' }, 'MONGO_URL'],
    [{ MONGO_URL: undefined }, 'MONGO_URL'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CHANGE_STREAMS: 'sometimes' }, 'CHANGE_STREAMS'],
    [{ EVENT_STREAM_SECRET: 'short' }, 'EVENT_STREAM_SECRET'],
    [{ APP_ENV: 'production' }, 'EVENT_STREAM_SECRET'],
    [{ ACCESS_LOG: 'some' }, 'ACCESS_LOG'],
    [{ LOG_SLOW_MS: 'slow' }, 'LOG_SLOW_MS'],
    [{ LOG_SLOW_MS: '-5' }, 'LOG_SLOW_MS'],
    [{ LOG_SLOW_MS: '2.5' }, 'LOG_SLOW_MS'],
    [{ RATE_LIMIT_PER_IP: 'lots' }, 'RATE_LIMIT_PER_IP'],
    [{ TRUSTED_PROXIES: 'traefik' }, 'TRUSTED_PROXIES'],
    [{ RATE_LIMIT_PER_SUBJECT: '0/10s' }, 'RATE_LIMIT_PER_SUBJECT'],
    [{ RATE_LIMIT_EVALUATION: '100/10h' }, 'RATE_LIMIT_EVALUATION'],
    [{ DNS_RESOLVER: 'dns.example' }, 'DNS_RESOLVER'],
    [{ FLAG_SCHEDULE_TICK_MS: 'often' }, 'FLAG_SCHEDULE_TICK_MS'],
    [{ FLAG_SCHEDULE_TICK_MS: '-1' }, 'FLAG_SCHEDULE_TICK_MS'],
    [{ FLAG_SCHEDULE_TICK_MS: '1' }, 'FLAG_SCHEDULE_TICK_MS'],
    [{ DNS_RESOLVER: '127.0.0.1:99999' }, 'DNS_RESOLVER'],
    [{ SEED_DEMO_DATA: 'yes' }, 'SEED_DEMO_DATA'],
    [{ FLAG_STALE_DAYS: '0' }, 'FLAG_STALE_DAYS'],
    [{ FLAG_STALE_DAYS: 'a month' }, 'FLAG_STALE_DAYS'],
    [{ FLAG_STALE_DAYS: '366' }, 'FLAG_STALE_DAYS'],
    [{ FLAG_USAGE_FLUSH_MS: '10' }, 'FLAG_USAGE_FLUSH_MS'],
    [{ FLAG_USAGE_FLUSH_MS: '1e4' }, 'FLAG_USAGE_FLUSH_MS'],
    [{ SHUTDOWN_DRAIN_MS: '-1' }, 'SHUTDOWN_DRAIN_MS'],
    [{ SHUTDOWN_DRAIN_MS: '120001' }, 'SHUTDOWN_DRAIN_MS'],
    [{ SHUTDOWN_DRAIN_MS: '10s' }, 'SHUTDOWN_DRAIN_MS'],
    [{ WEBHOOKS_POLL_MS: 'often' }, 'WEBHOOKS_POLL_MS'],
    [{ WEBHOOKS_TIMEOUT_MS: '0' }, 'WEBHOOKS_TIMEOUT_MS'],
    [{ WEBHOOKS_ALLOW_LOOPBACK: 'yes' }, 'WEBHOOKS_ALLOW_LOOPBACK'],
  ])('refuses %o naming %s', (patch, name) => {
    const run = () => parseConfig({ ...valid, ...patch });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(new RegExp(`${name}: `));
  });

  it('counts a flag potentially stale after 30 days and stores evaluation counts every 10 s, unless told otherwise', () => {
    expect(parseConfig(valid).flagUsage).toEqual({ staleDays: 30, flushMs: 10_000 });
    expect(parseConfig({ ...valid, FLAG_STALE_DAYS: '90', FLAG_USAGE_FLUSH_MS: '500' }).flagUsage).toEqual({ staleDays: 90, flushMs: 500 });
    expect(parseConfig(valid).shutdownDrainMs).toBe(0);
    expect(parseConfig({ ...valid, SHUTDOWN_DRAIN_MS: '15000' }).shutdownDrainMs).toBe(15000);
  });

  it('seeds demo data only when asked, and only in development', () => {
    expect(parseConfig(valid).seedDemoData).toBe(false);
    expect(parseConfig({ ...valid, SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(parseConfig({ ...valid, APP_ENV: 'production', EVENT_STREAM_SECRET: 's'.repeat(32), SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
    for (const APP_ENV of ['test', 'staging', 'production']) {
      const run = () => parseConfig({ ...valid, APP_ENV, EVENT_STREAM_SECRET: 's'.repeat(32), SEED_DEMO_DATA: 'true' });
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(`SEED_DEMO_DATA: demo data is seeded in development only, never with APP_ENV=${APP_ENV}`);
    }
  });

  it('delivers webhooks every second within 5 s, to loopback endpoints only when asked and never in production', () => {
    expect(parseConfig(valid).webhooks).toEqual({ pollMs: 1000, timeoutMs: 5000, allowLoopback: false });
    expect(parseConfig({ ...valid, WEBHOOKS_POLL_MS: '0', WEBHOOKS_ALLOW_LOOPBACK: 'true' }).webhooks).toMatchObject({ pollMs: 0, allowLoopback: true });
    const run = () => parseConfig({ ...valid, APP_ENV: 'production', EVENT_STREAM_SECRET: 's'.repeat(32), WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    expect(run).toThrow('WEBHOOKS_ALLOW_LOOPBACK: webhook endpoints on loopback addresses are for tests, never with APP_ENV=production');
  });

  it('follows change streams unless told not to, and takes the event-stream secret', () => {
    expect(parseConfig(valid)).toMatchObject({ changeStreams: true, eventStreamSecret: undefined });
    expect(parseConfig({ ...valid, CHANGE_STREAMS: 'off' }).changeStreams).toBe(false);
    const secret = 'x'.repeat(32);
    expect(parseConfig({ ...valid, APP_ENV: 'production', EVENT_STREAM_SECRET: secret }).eventStreamSecret).toBe(secret);
  });

  it('believes forwarded addresses from loopback unless told which proxies to trust', () => {
    expect(parseConfig(valid).trustedProxies).toEqual(['loopback']);
    expect(parseConfig({ ...valid, TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,172.18.0.5' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', '172.18.0.5']);
  });

  it('takes request budgets as N/Ds or N/Dm, or off, with defaults', () => {
    expect(parseConfig(valid).rateLimits).toEqual({
      perIp: { points: 6000, durationSec: 10 },
      perSubject: { points: 600, durationSec: 10 },
      evaluation: { points: 3000, durationSec: 10 },
    });
    expect(parseConfig({ ...valid, RATE_LIMIT_PER_IP: 'off', RATE_LIMIT_PER_SUBJECT: '1000/2m' }).rateLimits).toMatchObject({
      perIp: undefined,
      perSubject: { points: 1000, durationSec: 120 },
    });
  });

  it("asks the system's DNS servers unless DNS_RESOLVER names others", () => {
    expect(parseConfig(valid).dnsResolvers).toBeUndefined();
    expect(parseConfig({ ...valid, DNS_RESOLVER: '127.0.0.1:5353' }).dnsResolvers).toEqual(['127.0.0.1:5353']);
    expect(parseConfig({ ...valid, DNS_RESOLVER: '9.9.9.9, [::1]:53' }).dnsResolvers).toEqual(['9.9.9.9', '[::1]:53']);
  });

  it('looks for due steps of planned ramps every second unless told otherwise (0: never)', () => {
    expect(parseConfig(valid).flagScheduleTickMs).toBe(1000);
    expect(parseConfig({ ...valid, FLAG_SCHEDULE_TICK_MS: '250' }).flagScheduleTickMs).toBe(250);
    expect(parseConfig({ ...valid, FLAG_SCHEDULE_TICK_MS: '0' }).flagScheduleTickMs).toBe(0);
  });

  it('serves metrics on port 9464 of the API host unless told otherwise; METRICS_PORT=0 turns them off', () => {
    expect(parseConfig(valid).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseConfig({ ...valid, HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(parseConfig({ ...valid, HOST: '0.0.0.0', METRICS_HOST: '10.0.0.5', METRICS_PORT: '9100' }).metrics).toEqual({ port: 9100, host: '10.0.0.5' });
    expect(parseConfig({ ...valid, METRICS_PORT: '0' }).metrics).toBeUndefined();
  });

  it.each(['abc', '-1', '65536', '3.5', '', '100000'])('explains a bad METRICS_PORT (%j)', (port) => {
    expect(() => parseConfig({ ...valid, METRICS_PORT: port })).toThrow(/METRICS_PORT: must be a port number \(1-65535\), or 0 to turn metrics off/);
  });

  it('refuses METRICS_PORT on the public port, and an empty METRICS_HOST', () => {
    expect(() => parseConfig({ ...valid, PORT: '9464' })).toThrow(/METRICS_PORT: must differ from PORT \(9464\)/);
    expect(parseConfig({ ...valid, PORT: '9464', METRICS_PORT: '0' }).metrics).toBeUndefined();
    expect(() => parseConfig({ ...valid, METRICS_HOST: '' })).toThrow(/METRICS_HOST: must be a host name or address/);
  });

  it('names every bad variable at once', () => {
    try {
      parseConfig({ PORT: 'x', APP_ENV: 'y' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['APP_ENV', 'MONGO_URL', 'PORT']);
    }
  });

  it('gives the body limit in bytes, counting a kb as 1024 bytes', () => {
    expect(parseConfig(valid).bodyLimitBytes).toBe(102_400);
    expect(parseConfig({ ...valid, BODY_LIMIT: '1kb' }).bodyLimitBytes).toBe(1024);
    expect(parseConfig({ ...valid, BODY_LIMIT: '2mb' }).bodyLimitBytes).toBe(2 * 1024 * 1024);
    expect(parseConfig({ ...valid, BODY_LIMIT: '512b' }).bodyLimitBytes).toBe(512);
    expect(parseByteSize('100kb')).toBe(102_400);
    expect(() => parseByteSize('lots')).toThrow();
  });

  it('samples the access log in deployed environments and logs every request elsewhere', () => {
    expect(parseConfig(valid).accessLog).toBe('all');
    expect(parseConfig({ ...valid, APP_ENV: 'test' }).accessLog).toBe('all');
    expect(parseConfig({ ...valid, APP_ENV: 'staging' }).accessLog).toBe('sampled');
    const production = { ...valid, APP_ENV: 'production', EVENT_STREAM_SECRET: 's'.repeat(32) };
    expect(parseConfig(production).accessLog).toBe('sampled');
    expect(parseConfig({ ...production, ACCESS_LOG: 'all' }).accessLog).toBe('all');
    expect(parseConfig({ ...valid, ACCESS_LOG: 'off' }).accessLog).toBe('off');
  });

  it('logs requests slower than 500 ms by default, and takes LOG_SLOW_MS in milliseconds', () => {
    expect(parseConfig(valid).logSlowMs).toBe(500);
    expect(parseConfig({ ...valid, LOG_SLOW_MS: '1500' }).logSlowMs).toBe(1500);
    expect(parseConfig({ ...valid, LOG_SLOW_MS: '0' }).logSlowMs).toBe(0);
  });

  it('explains a bad ACCESS_LOG or LOG_SLOW_MS', () => {
    expect(() => parseConfig({ ...valid, ACCESS_LOG: 'some' })).toThrow('ACCESS_LOG: must be one of all, sampled, off');
    expect(() => parseConfig({ ...valid, LOG_SLOW_MS: 'slow' })).toThrow('LOG_SLOW_MS: must be a whole number of milliseconds');
  });

  it('splits comma lists', () => {
    expect(parseConfig({ ...valid, CORS_ORIGINS: 'http://a, http://b,,' }).corsOrigins).toEqual(['http://a', 'http://b']);
  });
});

describe('parseConfig: identity', () => {
  const valid = { MONGO_URL: 'mongodb://127.0.0.1:27017/dezky' };

  it('keeps issuer URLs exactly, trailing slash included', () => {
    const c = parseConfig({ ...valid, AUTHENTIK_ISSUERS: 'https://id.dezky.eu/application/o/dezky-operator/, https://id.dezky.eu/application/o/dezky-portal/' });
    expect(c.auth.issuers).toEqual(['https://id.dezky.eu/application/o/dezky-operator/', 'https://id.dezky.eu/application/o/dezky-portal/']);
    expect(c.auth.audiences).toEqual(['dezky-portal', 'dezky-operator']);
  });

  it('refuses an issuer that is not an http(s) URL', () => {
    expect(() => parseConfig({ ...valid, AUTHENTIK_ISSUERS: 'not a url' })).toThrow(/AUTHENTIK_ISSUERS/);
  });

  it('lower-cases the admin emails', () => {
    expect(parseConfig({ ...valid, PLATFORM_ADMIN_EMAILS: 'Admin@Dezky.Test' }).auth.platformAdminEmails).toEqual(['admin@dezky.test']);
  });
});

import { SAMPLE_SECRETS } from '@dezky/contracts';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './app-config';

describe('sample secrets of .env.example', () => {
  const own = 'an-event-stream-secret-nobody-else-has-0123';
  const production = { MONGO_URL: 'mongodb://127.0.0.1:27017/dezky', APP_ENV: 'production', EVENT_STREAM_SECRET: own };
  const sampleStreamSecret = SAMPLE_SECRETS.find((s) => s.startsWith('sample-event-stream-secret'))!;
  const sampleApiToken = SAMPLE_SECRETS.find((s) => s.startsWith('sample-authentik-api-token'))!;

  it.each([
    ['EVENT_STREAM_SECRET', { EVENT_STREAM_SECRET: sampleStreamSecret }],
    ['AUTHENTIK_API_TOKEN', { AUTHENTIK_API_URL: 'http://authentik-server:9000', AUTHENTIK_API_TOKEN: sampleApiToken }],
  ])('refuse %s set to its sample with APP_ENV=production, in one line naming it', (name, env) => {
    let error: unknown;
    try {
      parseConfig({ ...production, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: is the sample value of \\.env\\.example`));
    expect(problems[0]).not.toContain('\n');
  });

  it('are accepted outside production', () => {
    for (const APP_ENV of ['development', 'test', 'staging']) {
      expect(() => parseConfig({ ...production, APP_ENV, EVENT_STREAM_SECRET: sampleStreamSecret, AUTHENTIK_API_TOKEN: sampleApiToken })).not.toThrow();
    }
  });

  it('leave secrets of ones own alone in production', () => {
    expect(parseConfig({ ...production, AUTHENTIK_API_URL: 'http://authentik-server:9000', AUTHENTIK_API_TOKEN: 'a-token-of-our-own' }).authentikApi).toEqual({
      url: 'http://authentik-server:9000',
      token: 'a-token-of-our-own',
    });
  });
});

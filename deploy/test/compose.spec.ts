import { describe, expect, it } from 'vitest';
import { composeErrors, composeFile } from '../src/compose.js';

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    expect(composeErrors(composeFile())).toEqual([]);
  });

  it('is refused by the schema when a service is malformed', () => {
    const doc = composeFile();
    const services = doc.services as Record<string, Record<string, unknown>>;
    const broken = { ...doc, services: { ...services, mongo: { ...services.mongo, healthcheck: { interval: 5, bogus: true } } } };
    expect(composeErrors(broken).length).toBeGreaterThan(0);
  });
});

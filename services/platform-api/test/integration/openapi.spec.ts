import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is served at /openapi.json and is valid OpenAPI 3', async () => {
    const res = await request(t.app.getHttpServer()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    // validate() throws on any schema violation or broken $ref.
    const api = await SwaggerParser.validate(structuredClone(res.body));
    expect(api.info.title).toBe('Dezky platform API');
    expect(Object.keys(api.paths ?? {})).toContain('/health');
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });
});

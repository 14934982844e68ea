import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

describe('errors a client can cause', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '1kb' });
  });
  afterAll(() => t.close());

  it('answers an unknown route with a 404 body and no internals', async () => {
    const res = await request(t.app.getHttpServer()).get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|stack/);
  });

  it('answers malformed JSON with 400 naming the problem', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/health')
      .set('Content-Type', 'application/json')
      .send('{"broken": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' });
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/health')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(4096) }));
    expect(res.status).toBe(413);
    expect(res.body.message).toBe('The request body is too large');
  });

  it('sets security headers and hides the framework', async () => {
    const res = await request(t.app.getHttpServer()).get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

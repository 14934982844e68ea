import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { startSession, type Session } from '../support/session';

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
    // The API's answers: OWASP's set for REST APIs, errors included.
    for (const path of ['/health', '/no-such-route']) {
      const res = await request(t.app.getHttpServer()).get(path);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    // The documentation page: helmet's set for pages.
    const docs = await request(t.app.getHttpServer()).get('/docs/');
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('request bodies and routing', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ BODY_LIMIT: '1kb' });
  });
  afterAll(() => s.close());

  it('answers a body that is not JSON with 415 naming what it takes, form posts included', async () => {
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'tenantSlug=acme'],
      ['text/plain', '{"tenantSlug":"acme"}'],
      ['multipart/form-data; boundary=x', '--x--'],
    ]) {
      const res = await s.alice.post('/flags/evaluate').set('Content-Type', type!).send(body);
      expect(res.status, type).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'The request body must be JSON (Content-Type: application/json)' });
    }
  });

  it('takes an empty JSON body as an empty object, as always', async () => {
    const res = await s.alice.post('/flags/evaluate').set('Content-Type', 'application/json').send('');
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^tenantSlug /)]));
  });

  it('refuses a JSON value that is not an object or an array, and prototype keys', async () => {
    for (const body of ['"acme"', '42', 'null', ' true', '{"__proto__":{"platformAdmin":true}}']) {
      const res = await s.admin.post('/partners').set('Content-Type', 'application/json').send(body);
      expect(res.status, body).toBe(400);
      expect(res.body.message, body).toBe('The request body is not valid JSON');
    }
  });

  it('refuses a compressed body or another charset with 415, and takes UTF-8', async () => {
    const gzip = await s.alice.post('/flags/evaluate').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}');
    expect(gzip.status).toBe(415);
    expect(gzip.body.message).toBe('The request body encoding is not supported');
    const latin1 = await s.alice.post('/flags/evaluate').set('Content-Type', 'application/json; charset=latin1').send('{}');
    expect(latin1.status).toBe(415);
    expect(latin1.body.message).toBe('The request body encoding is not supported');
    const utf8 = await s.alice.post('/flags/evaluate').set('Content-Type', 'application/json; charset=UTF-8').send('{"tenantSlug":"nowhere"}');
    expect(utf8.status).toBe(404);
  });

  it('answers JSON as application/json; charset=utf-8, successes and errors alike', async () => {
    expect((await s.alice.get('/me')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await s.anonymous.get('/me')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await s.alice.get('/no/such/route')).headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('routes without regard to case or a trailing slash, as before', async () => {
    expect((await s.alice.get('/ME/')).status).toBe(200);
    expect((await s.anonymous.get('/Health')).status).toBe(200);
  });

  it('answers a path parameter of any length from its route, not with 414', async () => {
    const res = await s.admin.get(`/flags/${'x'.repeat(300)}`);
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/^Flag "x+" not found$/);
  });

  it('searches for a NUL byte like any other text, which MongoDB cannot take raw in a pattern', async () => {
    await s.alice.post('/tenants', { slug: 'nul-search', name: 'Nul search' }).expect(201);
    for (const path of ['/users', '/tenants', '/partners']) {
      for (const search of ['\u0000', 'a\u0000b']) {
        const res = await s.admin.get(`${path}?search=${encodeURIComponent(search)}`);
        expect(res.status, `${path} ${JSON.stringify(search)}`).toBe(200);
        expect(res.body.total).toBe(0);
      }
    }
    expect((await s.admin.get('/tenants?search=nul-s').expect(200)).body.total).toBe(1);
  });
});

describe('CORS, with CORS_ORIGINS set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'http://app.example' });
  });
  afterAll(() => t.close());

  it('answers a preflight for the methods the API serves', async () => {
    const res = await request(t.app.getHttpServer())
      .options('/flags/some_flag')
      .set('Origin', 'http://app.example')
      .set('Access-Control-Request-Method', 'PATCH');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://app.example');
    expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
    expect(res.headers['access-control-allow-methods']).toMatch(/DELETE/);
  });

  it('exposes ETag and X-Flags-Stale to the allowed origin only', async () => {
    const allowed = await request(t.app.getHttpServer()).get('/health').set('Origin', 'http://app.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://app.example');
    expect(String(allowed.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(['ETag', 'X-Flags-Stale']);
    const other = await request(t.app.getHttpServer()).get('/health').set('Origin', 'http://elsewhere.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('deeply nested bodies', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(() => s.close());

  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const TOO_DEEP = 'The request body nests objects and arrays deeper than 32 levels';

  it('refuses a body nested 2,000 levels deep with 400 on every kind of route, and changes nothing', async () => {
    const before = await s.db.collection('tenants').countDocuments();
    const cases: [string, Session['alice'], string, string][] = [
      ['post', s.alice, '/flags/evaluate', `{"tenantSlug":"x","x":${nested(2000)}}`],
      ['post', s.alice, '/tenants', `{"slug":"deep-co","name":"Deep","x":${nested(2000)}}`],
      ['post', s.alice, '/ofrep/v1/evaluate/flags', `{"context":{"targetingKey":"x","x":${nested(2000)}}}`],
      ['patch', s.admin, '/flags/shared_mailboxes', `{"state":"on","scope":{"plans":${nested(2000)}}}`],
      ['post', s.admin, '/partners', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
    ];
    for (const [method, who, path, body] of cases) {
      const res = await (method === 'post' ? who.post(path) : who.patch(path)).set('Content-Type', 'application/json').send(body);
      expect(res.status, path).toBe(400);
      expect(res.body, path).toEqual({ statusCode: 400, error: 'Bad Request', message: TOO_DEEP });
    }
    expect(await s.db.collection('tenants').countDocuments()).toBe(before);
    expect((await s.admin.get('/flags/shared_mailboxes').expect(200)).body.state).not.toBe('on');
  });

  it('takes 32 levels, and does not count brackets inside strings', async () => {
    const atLimit = await s.alice.post('/flags/evaluate').set('Content-Type', 'application/json').send(`{"tenantSlug":"nowhere","x":${nested(31)}}`);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.message).not.toBe(TOO_DEEP);
    const name = `[{"${'['.repeat(60)}\\"{{{{`;
    const res = await s.alice.post('/tenants', { slug: 'bracket-co', name });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe(name);
  });
});

describe('paged lists', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
    await s.admin.post('/partners', { slug: 'paged-partner', name: 'Paged', domain: 'paged.example', marginPct: 10 }).expect(201);
  });
  afterAll(() => s.close());

  it.each(['/tenants', '/partners', '/users', '/audit', '/partners/paged-partner/tenants'])('%s takes an offset up to 100,000 and refuses a deeper one with 400', async (path) => {
    const deepest = await s.admin.get(`${path}?offset=100000`);
    expect(deepest.status).toBe(200);
    expect(deepest.body).toMatchObject({ items: [], offset: 100000 });
    const deeper = await s.admin.get(`${path}?offset=100001`);
    expect(deeper.status).toBe(400);
    expect(deeper.body.message).toEqual([expect.stringMatching(/^offset must not be greater than 100000/)]);
  });
});

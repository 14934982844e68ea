import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSession, type Session } from '../support/session';

interface Call {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

/** A stand-in for Authentik's group API on loopback: real HTTP, recorded calls, switchable failures. */
async function fakeAuthentik() {
  const groups: { pk: string; name: string }[] = [];
  const calls: Call[] = [];
  let failing = false;
  const read = (req: IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => resolve(data ? JSON.parse(data) : undefined));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    res.setHeader('content-type', 'application/json');
    if (failing) {
      res.statusCode = 500;
      return res.end('{"detail":"boom"}');
    }
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'GET' && url.pathname === '/api/v3/core/groups/') {
      return res.end(JSON.stringify({ results: groups.filter((g) => g.name === url.searchParams.get('name')) }));
    }
    if (req.method === 'POST' && url.pathname === '/api/v3/core/groups/') {
      const g = { pk: `pk-${groups.length + 1}`, name: (body as { name: string }).name };
      groups.push(g);
      res.statusCode = 201;
      return res.end(JSON.stringify(g));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    groups,
    calls,
    fail: (on: boolean) => (failing = on),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('provisioning through the Authentik adapter', () => {
  let s: Session;
  let authentik: Awaited<ReturnType<typeof fakeAuthentik>>;

  beforeAll(async () => {
    authentik = await fakeAuthentik();
    s = await startSession({ AUTHENTIK_API_URL: authentik.url, AUTHENTIK_API_TOKEN: 'ak-test-token' });
  });
  afterAll(async () => {
    await s.close();
    await authentik.close();
  });

  it('creates the tenant group on tenant creation, with the API token', async () => {
    const res = await s.alice.post('/tenants', { slug: 'prov-one', name: 'Prov One' });
    expect(res.status).toBe(201);
    expect(res.body.provisioning.authentik).toMatchObject({ state: 'ok', detail: expect.stringContaining('created') });
    expect(authentik.groups.map((g) => g.name)).toEqual(['dezky-tenant-prov-one']);
    const post = authentik.calls.find((c) => c.method === 'POST')!;
    expect(post.auth).toBe('Bearer ak-test-token');
    expect(post.body).toMatchObject({ name: 'dezky-tenant-prov-one', attributes: { dezkyTenantSlug: 'prov-one', dezkyTenantId: res.body.id } });
  });

  it('reconcile is idempotent: the existing group is found, not created again', async () => {
    const before = authentik.groups.length;
    const res = await s.alice.post('/tenants/prov-one/reconcile');
    expect(res.status).toBe(200);
    expect(res.body.provisioning.authentik).toMatchObject({ state: 'ok', detail: expect.stringContaining('exists') });
    expect(authentik.groups.length).toBe(before);
  });

  it("records an adapter's failure on the tenant and still answers the request", async () => {
    authentik.fail(true);
    const res = await s.bob.post('/tenants', { slug: 'prov-two', name: 'Prov Two' });
    expect(res.status).toBe(201);
    expect(res.body.provisioning.authentik).toMatchObject({ state: 'error', error: expect.stringContaining('500') });
    const stored = await s.db.collection('tenants').findOne({ slug: 'prov-two' });
    expect(stored?.provisioning?.authentik?.state).toBe('error');

    authentik.fail(false);
    const fixed = await s.bob.post('/tenants/prov-two/reconcile');
    expect(fixed.body.provisioning.authentik.state).toBe('ok');
    expect((await s.bob.get('/tenants/prov-two')).body.provisioning.authentik.state).toBe('ok');
  });

  it('an unreachable Authentik is an error state, not a failed request', async () => {
    await authentik.close();
    const res = await s.alice.post('/tenants', { slug: 'prov-three', name: 'Prov Three' });
    expect(res.status).toBe(201);
    expect(res.body.provisioning.authentik).toMatchObject({ state: 'error', error: expect.stringContaining('could not be reached') });
  });
});

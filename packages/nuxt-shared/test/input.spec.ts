// The input helper of both apps' server routes: what it answers for bad input, exactly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, defineEventHandler, setResponseHeader, setResponseStatus, toNodeListener, type H3Error } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import './support/auto-imports';
import { compact, describeIssue, domainNameSchema, pageQueryShape, slugSchema, slugSegment, validBody, validInput, validQuery } from '../server/utils/input';

/** What `run` throws, as status, statusMessage and message. */
function failure(run: () => unknown): { statusCode: number; statusMessage: string; message: string } {
  try {
    run();
  } catch (error) {
    const { statusCode, statusMessage, message } = error as { statusCode: number; statusMessage: string; message: string };
    return { statusCode, statusMessage, message };
  }
  throw new Error('expected a failure');
}

describe('validInput', () => {
  const partner = z.strictObject({ slug: slugSchema, domain: domainNameSchema, marginPct: z.number().int('must be a whole number') });

  it('answers the parsed value', () => {
    expect(validInput(partner, { slug: 'nordic-it', domain: ' Bücher.de ', marginPct: 20 })).toEqual({ slug: 'nordic-it', domain: 'Bücher.de', marginPct: 20 });
  });

  it('answers 400 naming every field and its problem, in order', () => {
    expect(failure(() => validInput(partner, { slug: 'Nordic IT', domain: 'localhost', marginPct: 2.5 }))).toEqual({
      statusCode: 400,
      statusMessage: 'Bad Request',
      message:
        'slug must be lowercase letters, digits and single hyphens (3-40 characters); domain must be a domain name such as example.com; marginPct must be a whole number',
    });
  });

  it('names nested fields by their path', () => {
    const scope = z.object({ scope: z.object({ tenantSlugs: z.array(slugSchema) }) });
    expect(failure(() => validInput(scope, { scope: { tenantSlugs: ['acme', 'Bad'] } })).message).toBe(
      'scope.tenantSlugs.1 must be lowercase letters, digits and single hyphens (3-40 characters)',
    );
  });

  it('does not name a field twice when its message already does', () => {
    const flag = z.object({ key: z.string().regex(/^[a-z]+$/, 'key must be lowercase') });
    expect(failure(() => validInput(flag, { key: 'X' })).message).toBe('key must be lowercase');
  });

  it('answers a message without a field as it is', () => {
    const oneOf = z.object({ a: z.string().optional() }).refine((v) => v.a !== undefined, 'send a');
    expect(failure(() => validInput(oneOf, {})).message).toBe('send a');
  });
});

describe('describeIssue', () => {
  it('starts with the field', () => {
    expect(describeIssue({ code: 'custom', path: ['contactInfo', 'email'], message: 'must be an email address', input: 'x' })).toBe(
      'contactInfo.email must be an email address',
    );
  });
});

describe('compact', () => {
  it('drops undefined values only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: '' })).toEqual({ a: 1, c: null, d: '' });
  });
});

describe('bodies, queries and route parameters of a real request', () => {
  let server: Server;
  let base = '';
  const body = z.strictObject({ name: z.string().trim().min(1, 'must not be empty') });
  const query = z.object({ search: z.string().max(5).optional(), ...pageQueryShape });

  beforeAll(async () => {
    // Errors answered as Nitro answers them to an API client: status, statusMessage and message as JSON.
    const app = createApp({
      onError: (error, event) => {
        const { statusCode, statusMessage, message } = error as H3Error;
        setResponseStatus(event, statusCode, statusMessage);
        setResponseHeader(event, 'content-type', 'application/json');
        event.node.res.end(JSON.stringify({ statusCode, statusMessage, message }));
      },
    });
    app.use('/body', defineEventHandler((event) => validBody(event, body)));
    app.use('/query', defineEventHandler((event) => validQuery(event, query)));
    app.use(
      '/tenants',
      defineEventHandler((event) => {
        event.context.params = { slug: decodeURIComponent(event.path.slice(1)) };
        return { segment: slugSegment(event) };
      }),
    );
    server = createServer(toNodeListener(app));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (text: string) => {
    const res = await fetch(`${base}/body`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('reads a valid body', async () => {
    expect(await post('{"name":" Acme "}')).toEqual({ status: 200, json: { name: 'Acme' } });
  });

  it('answers 400 naming the field of an invalid body', async () => {
    const { status, json } = await post('{"name":"  "}');
    expect(status).toBe(400);
    expect(json).toMatchObject({ statusCode: 400, statusMessage: 'Bad Request', message: 'name must not be empty' });
  });

  it('answers 400 for a body that is not JSON, and reads no body as {}', async () => {
    expect((await post('{"name":')).json).toMatchObject({ statusCode: 400, message: 'The request body must be JSON.' });
    const empty = await fetch(`${base}/body`, { method: 'POST' });
    expect(await empty.json()).toMatchObject({ statusCode: 400, message: 'name Invalid input: expected string, received undefined' });
  });

  it('reads a query, and answers 400 naming each bad parameter', async () => {
    expect(await (await fetch(`${base}/query?search=ab&limit=5&offset=10`)).json()).toEqual({ search: 'ab', limit: 5, offset: 10 });
    const bad = await fetch(`${base}/query?search=abcdefg&limit=0`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      message: 'search Too big: expected string to have <=5 characters; limit Too small: expected number to be >=1',
    });
  });

  it('answers 404 for a slug that cannot name anything, and encodes a valid one', async () => {
    expect(await (await fetch(`${base}/tenants/acme-labs`)).json()).toEqual({ segment: 'acme-labs' });
    const bad = await fetch(`${base}/tenants/..%2Fpartners`);
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ statusMessage: 'Not Found', message: 'Nothing is named "../partners"' });
  });
});

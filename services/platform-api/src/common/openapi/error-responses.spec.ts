import type { OpenAPIObject } from '@nestjs/swagger';
import { documentErrorResponses, ERROR_BODY_REF, errorStatusesOf } from './error-responses';
import type { RouteFacts } from './route-facts';

const bearer: RouteFacts = { isPublic: false, operatorOnly: false, readsIfMatch: false };
const withSlug = { responses: {}, parameters: [{ name: 'slug', in: 'path' as const, required: true }] };

describe('errorStatusesOf', () => {
  it('gives a route the errors its metadata and method imply', () => {
    expect(errorStatusesOf('get', { responses: {} }, bearer)).toEqual([401, 429, 503]);
    expect(errorStatusesOf('get', { responses: {} }, { ...bearer, isPublic: true })).toEqual([503]);
    expect(errorStatusesOf('post', withSlug, { ...bearer, operatorOnly: true })).toEqual([400, 401, 403, 404, 413, 415, 429, 503]);
    expect(errorStatusesOf('delete', withSlug, { ...bearer, readsIfMatch: true })).toEqual([400, 401, 404, 412, 413, 415, 429, 503]);
    expect(errorStatusesOf('get', { responses: {} }, { ...bearer, queryDto: class Query {} })).toEqual([400, 401, 429, 503]);
  });
});

describe('documentErrorResponses', () => {
  const document = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    security: [{ bearer: [] }],
    paths: {
      '/things/{slug}': {
        get: {
          operationId: 'ThingsController_get',
          parameters: withSlug.parameters,
          responses: { '200': { description: 'ok' }, '404': { description: 'No such thing' } },
        },
      },
      '/health': { get: { operationId: 'HealthController_check', responses: { '200': { description: 'ok' } } } },
    },
  });
  const facts = new Map<string, RouteFacts>([
    ['ThingsController_get', bearer],
    ['HealthController_check', { ...bearer, isPublic: true }],
  ]);

  it('documents a route it was never told about like every other, keeping what the route declares', () => {
    const doc = document();
    documentErrorResponses(doc, facts);
    const get = doc.paths['/things/{slug}']!.get!;
    expect(Object.keys(get.responses).sort()).toEqual(['200', '401', '404', '429', '503']);
    expect(get.responses['404']).toEqual({ description: 'No such thing', content: { 'application/json': { schema: { $ref: ERROR_BODY_REF } } } });
    expect(get.responses['429']).toMatchObject({ headers: { 'Retry-After': { required: true } }, content: { 'application/json': { schema: { $ref: ERROR_BODY_REF } } } });
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health']!.get!.security).toEqual([]);
  });

  it('refuses an operation without route metadata rather than leave it undocumented', () => {
    expect(() => documentErrorResponses(document(), new Map([['ThingsController_get', bearer]]))).toThrow(/no route metadata for GET \/health/);
  });
});

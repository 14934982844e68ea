import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import mongoose from 'mongoose';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors/domain-errors';
import { toErrorBody } from './all-exceptions.filter';

function mongoDuplicate(): Error {
  const e = new Error('E11000 duplicate key error collection: db.tenants index: slug_1 dup key: { slug: "acme" }');
  e.name = 'MongoServerError';
  Object.assign(e, { code: 11000, keyValue: { slug: 'acme' } });
  return e;
}

describe('toErrorBody', () => {
  it.each([
    [new NotFoundError('Tenant acme not found'), 404, 'Tenant acme not found'],
    [new ConflictError('Slug taken'), 409, 'Slug taken'],
    [new PreconditionFailedError('Stale version'), 412, 'Stale version'],
    [new NotFoundException('Cannot GET /x'), 404, 'Cannot GET /x'],
    [mongoDuplicate(), 409, 'A resource with this slug already exists'],
    [new mongoose.Error.CastError('ObjectId', 'nope', 'partnerId'), 400, 'Invalid value for partnerId'],
  ])('maps %s to %i', (error, status, message) => {
    expect(toErrorBody(error)).toEqual({ statusCode: status, error: expect.any(String), message });
  });

  it('unwraps body-parser errors that Express wrapped in an HttpException', () => {
    const cause = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), { type: 'entity.parse.failed', status: 400 });
    expect(toErrorBody(new BadRequestException(cause.message, { cause }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
    });
  });

  it.each([
    [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'The request body is not valid JSON'],
    [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'The request body is not valid JSON'],
    [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'The request body is too large'],
    [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), 415, 'The request body must be JSON (Content-Type: application/json)'],
    [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'The request body does not match its Content-Length'],
  ])('words Fastify request-reading errors, wrapped in an HttpException by the adapter: %s', (cause, status, message) => {
    const wrapped = new HttpException(cause.message, cause.statusCode!, { cause });
    expect(toErrorBody(wrapped)).toEqual({ statusCode: status, error: expect.any(String), message });
    expect(toErrorBody(cause)).toEqual({ statusCode: status, error: expect.any(String), message });
  });

  it('answers another client error Fastify raised with its status, never 500', () => {
    const cause = new errorCodes.FST_ERR_BAD_URL('/%zz');
    expect(toErrorBody(new HttpException(cause.message, 400, { cause })).statusCode).toBe(400);
    const aborted = Object.assign(new Error('aborted'), { statusCode: 400 });
    expect(toErrorBody(aborted)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request could not be read' });
  });

  it('keeps validation messages as a list', () => {
    const e = new BadRequestException(['slug must be a string', 'name should not be empty']);
    expect(toErrorBody(e).message).toEqual(['slug must be a string', 'name should not be empty']);
  });

  it('answers anything unexpected with a bare 500 and no internals', () => {
    const out = toErrorBody(new TypeError("Cannot read properties of undefined (reading 'x') at /srv/app/dist/x.js:1"));
    expect(out).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  });

  it('answers a 5xx HttpException with its status and message under the standard reason, never its own error field', () => {
    expect(toErrorBody(new HttpException('The identity provider is unavailable', 503))).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The identity provider is unavailable',
    });
    const own = new HttpException({ message: 'Try again shortly', error: 'pool exhausted at db-7.internal:27017' }, 503);
    expect(toErrorBody(own)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Try again shortly' });
  });
});

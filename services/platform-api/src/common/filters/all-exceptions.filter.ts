import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mongoose from 'mongoose';
import { DomainError } from '../errors/domain-errors';
import { TooManyRequestsError } from '../http/rate-limits';
import { isDatabaseUnavailable } from '../mongo/database-unavailable';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function body(statusCode: number, message: string | string[], error?: string): ErrorBody {
  return { statusCode, error: error ?? REASONS[statusCode] ?? 'Error', message };
}

/** Errors of the body-parser family (body-parser, raw-body) carry a `type` and a client status. */
interface BodyParserError {
  type: string;
  status: number;
}
function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as BodyParserError).type === 'string' && typeof (e as BodyParserError).status === 'number';
}

/** Errors Fastify raises while reading a request carry an `FST_ERR_*` code and a status. */
interface FastifyError {
  code: string;
  statusCode: number;
  message: string;
}
function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && e.name === 'FastifyError' && typeof (e as Partial<FastifyError>).code === 'string' && typeof (e as Partial<FastifyError>).statusCode === 'number';
}

/** Fastify's request-reading errors, in the API's words. */
const FASTIFY_CLIENT_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is not valid JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'The request body must be JSON (Content-Type: application/json)'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'The request body does not match its Content-Length'],
};

/** Any other error that names a client status (e.g. a request stream that failed while read). */
function clientStatusOf(e: unknown): number | undefined {
  const status = e instanceof Error ? (e as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function isMongoError(e: unknown): e is { name: string; code?: number; keyValue?: Record<string, unknown>; keyPattern?: Record<string, unknown> } {
  return e instanceof Error && (e.name === 'MongoServerError' || e.name === 'MongoBulkWriteError');
}


/**
 * Maps every error to `{ statusCode, error, message }`. Client mistakes get a 4xx naming the
 * problem; anything unexpected is logged and answered with a bare 500: never a stack trace,
 * driver message or internal detail.
 */
export function toErrorBody(thrown: unknown): ErrorBody {
  // The HTTP adapter wraps request-reading failures in an HttpException whose message is the
  // reader's own (Fastify's `FST_ERR_*`, or body-parser's); the cause says what went wrong.
  const exception = thrown instanceof HttpException && (isBodyParserError(thrown.cause) || isFastifyError(thrown.cause)) ? thrown.cause : thrown;
  if (isFastifyError(exception) && exception.statusCode < 500) {
    const [status, message] = FASTIFY_CLIENT_ERRORS[exception.code] ?? [exception.statusCode, exception.message];
    return body(status, message);
  }
  if (exception instanceof DomainError) {
    return body(exception.status, exception.message, exception.error);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    if (typeof res === 'string') return body(status, res);
    const r = res as { message?: string | string[]; error?: string };
    return body(status, r.message ?? exception.message, status >= 500 ? undefined : r.error);
  }
  if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
    if (exception.type === 'entity.parse.failed') return body(400, 'The request body is not valid JSON');
    if (exception.type === 'entity.too.large') return body(413, 'The request body is too large');
    if (exception.type === 'encoding.unsupported' || exception.type === 'charset.unsupported') {
      return body(415, 'The request body encoding is not supported');
    }
    return body(exception.status, 'The request body could not be read');
  }
  if (isMongoError(exception) && exception.code === 11000) {
    const fields = Object.keys(exception.keyValue ?? exception.keyPattern ?? {});
    return body(409, fields.length ? `A resource with this ${fields.join(', ')} already exists` : 'A resource with these values already exists');
  }
  if (exception instanceof mongoose.Error.CastError) {
    return body(400, `Invalid value for ${exception.path}`);
  }
  if (exception instanceof mongoose.Error.ValidationError) {
    return body(400, Object.values(exception.errors).map((e) => e.message));
  }
  if (exception instanceof mongoose.Error.StrictModeError) {
    return body(400, `Unknown field ${exception.path}`);
  }
  if (isDatabaseUnavailable(exception)) {
    return body(503, 'The database is unavailable; try again shortly');
  }
  const clientStatus = clientStatusOf(exception);
  if (clientStatus !== undefined) {
    return body(clientStatus, 'The request could not be read');
  }
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const out = toErrorBody(exception);
    if (out.statusCode >= 500) {
      // The request id ties this to the request's access log line.
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ reqId: http.getRequest<FastifyRequest>().id, err }, 'request failed');
    }
    if (reply.sent || reply.raw.headersSent) return;
    if (exception instanceof TooManyRequestsError) reply.header('Retry-After', String(exception.retryAfterSec));
    if (out.statusCode === 401 && !reply.getHeader('WWW-Authenticate')) {
      reply.header('WWW-Authenticate', 'Bearer');
    }
    // Whatever the handler had set (e.g. Swagger's JavaScript), the error body is JSON.
    reply.code(out.statusCode).header('Content-Type', 'application/json; charset=utf-8').send(out);
  }
}

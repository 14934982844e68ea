import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import mongoose from 'mongoose';
import { DomainError } from '../errors/domain-errors';
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

/** Errors raised by Express' body parser carry a `type` and a client status. */
interface BodyParserError {
  type: string;
  status: number;
}
function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as BodyParserError).type === 'string' && typeof (e as BodyParserError).status === 'number';
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
  // Express wraps body-parser failures in an HttpException whose message is the parser's own.
  const exception = thrown instanceof HttpException && isBodyParserError(thrown.cause) ? thrown.cause : thrown;
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
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const out = toErrorBody(exception);
    if (out.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (res.headersSent) return;
    if (out.statusCode === 401 && !res.getHeader('WWW-Authenticate')) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res.status(out.statusCode).json(out);
  }
}

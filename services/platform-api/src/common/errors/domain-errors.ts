/**
 * Errors that services throw to say what went wrong in the domain's terms. The global
 * exception filter maps each to its HTTP status; services never build HTTP responses.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly error: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  readonly status = 400;
  readonly error = 'Bad Request';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly error = 'Not Found';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly error = 'Forbidden';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly error = 'Conflict';
}

export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly error = 'Precondition Failed';
}

/** The request must be conditional (If-Match) and was not. */
export class PreconditionRequiredError extends DomainError {
  readonly status = 428;
  readonly error = 'Precondition Required';
}

export class UnprocessableEntityError extends DomainError {
  readonly status = 422;
  readonly error = 'Unprocessable Entity';
}

export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly error = 'Service Unavailable';
}

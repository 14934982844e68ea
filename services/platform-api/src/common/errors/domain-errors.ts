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

/** A DomainError class per entry: its HTTP status and reason phrase, and the entry's name as its own. */
function domainErrors<T extends Record<string, readonly [status: number, error: string]>>(table: T): { [K in keyof T]: new (message: string) => DomainError } {
  const classes: Record<string, new (message: string) => DomainError> = {};
  for (const [name, [status, error]] of Object.entries(table)) {
    const type = class extends DomainError {
      readonly status = status;
      readonly error = error;
    };
    Object.defineProperty(type, 'name', { value: name });
    classes[name] = type;
  }
  return classes as { [K in keyof T]: new (message: string) => DomainError };
}

export const {
  BadRequestError,
  NotFoundError,
  ForbiddenError,
  ConflictError,
  PreconditionFailedError,
  /** The request must be conditional (If-Match) and was not. */
  PreconditionRequiredError,
  UnprocessableEntityError,
  ServiceUnavailableError,
} = domainErrors({
  BadRequestError: [400, 'Bad Request'],
  NotFoundError: [404, 'Not Found'],
  ForbiddenError: [403, 'Forbidden'],
  ConflictError: [409, 'Conflict'],
  PreconditionFailedError: [412, 'Precondition Failed'],
  PreconditionRequiredError: [428, 'Precondition Required'],
  UnprocessableEntityError: [422, 'Unprocessable Entity'],
  ServiceUnavailableError: [503, 'Service Unavailable'],
});

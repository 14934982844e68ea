import type { OpenAPIObject } from '@nestjs/swagger';
import type { HeaderObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { RouteFacts } from './route-facts';

export const ERROR_BODY_REF = '#/components/schemas/ErrorBodyDto';

interface ErrorAnswer {
  description: string;
  headers?: Record<string, HeaderObject>;
}

/** The error answers the API gives on many routes, each for the reasons in `errorStatusesOf`. */
const ERROR_ANSWERS: Record<number, ErrorAnswer> = {
  400: { description: 'The request is invalid (body, query or header); the message names each problem and nothing changed' },
  401: {
    description: 'The bearer token is missing, malformed, expired, or not issued for this API',
    headers: { 'WWW-Authenticate': { description: 'Bearer, with error="invalid_token" when a token was sent', required: true, schema: { type: 'string' } } },
  },
  403: { description: 'Not an operator-scoped token, or not a platform administrator' },
  404: { description: 'Nothing by that name, or nothing the caller may see' },
  412: { description: 'If-Match names a version that is no longer current; nothing changed' },
  413: { description: 'The request body is larger than BODY_LIMIT' },
  415: { description: 'The request body is not JSON (Content-Type: application/json, UTF-8, not compressed)' },
  429: {
    description: 'Too many requests from this caller; try again after Retry-After',
    headers: { 'Retry-After': { description: 'Seconds to wait before the next request', required: true, schema: { type: 'string' } } },
  },
  503: { description: 'MongoDB or the identity provider is unavailable; try again shortly' },
};

/** Methods whose requests carry a body that the API parses (JSON only, within BODY_LIMIT) whatever the route does with it. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const isParameter = (p: ParameterObject | ReferenceObject): p is ParameterObject => 'in' in p;

/**
 * The error statuses a route can answer, from what the server does:
 * - every route: 503 (MongoDB, or the identity provider verifying a token, is unreachable);
 * - without `@Public()`: 401 from JwtAuthGuard, and 429 from the rate limit on signed-in callers;
 * - `@OperatorOnly()`: 403 from OperatorGuard;
 * - a method with a body: 400, 413 and 415 from the JSON body parser (and the body's validation);
 * - a validated `@Query()` or an If-Match header: 400; If-Match also 412;
 * - a path parameter: 404 when it names nothing.
 */
export function errorStatusesOf(method: string, operation: OperationObject, facts: RouteFacts): number[] {
  const statuses = new Set<number>([503]);
  if (!facts.isPublic) {
    statuses.add(401);
    statuses.add(429);
  }
  if (facts.operatorOnly) statuses.add(403);
  if (BODY_METHODS.has(method)) for (const s of [400, 413, 415]) statuses.add(s);
  if (facts.queryDto || facts.readsIfMatch) statuses.add(400);
  if (facts.readsIfMatch) statuses.add(412);
  if ((operation.parameters ?? []).some((p) => isParameter(p) && p.in === 'path')) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

const errorContent = () => ({ 'application/json': { schema: { $ref: ERROR_BODY_REF } } });

/**
 * Completes the document's responses from the routes' metadata, so that a new route is documented
 * like the others without a decorator: the error statuses each route can answer, every error with
 * the one error body, and the bearer requirement on every route but the public ones. A response a route declares itself
 * keeps its description and schema (OFREP's own error bodies, /health's 503).
 */
export function documentErrorResponses(document: OpenAPIObject, facts: ReadonlyMap<string, RouteFacts>): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const route = operation.operationId ? facts.get(operation.operationId) : undefined;
      // Only routes the document was built from have operations; a gap here is a programming error.
      if (!route) throw new Error(`OpenAPI: no route metadata for ${method.toUpperCase()} ${path} (${operation.operationId})`);
      // Public routes need no token; every other one the document's bearer requirement, once.
      operation.security = route.isPublic ? [] : structuredClone(document.security ?? []);
      const responses = operation.responses as Record<string, ResponseObject>;
      for (const status of errorStatusesOf(method, operation, route)) {
        const answer = ERROR_ANSWERS[status]!;
        const declared = responses[status];
        if (!declared) {
          responses[status] = { description: answer.description, ...(answer.headers ? { headers: { ...answer.headers } } : {}) };
          continue;
        }
        if (!declared.description) declared.description = answer.description;
        if (answer.headers) declared.headers = { ...answer.headers, ...declared.headers };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content) response.content = errorContent();
      }
    }
  }
}

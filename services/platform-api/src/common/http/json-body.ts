import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type Done = (error: Error | null, body?: unknown) => void;

const ENCODING_UNSUPPORTED = 'The request body encoding is not supported';
const NOT_JSON = 'The request body is not valid JSON';

/** Deeper than any body of ours needs (flag rules nest about 5 levels); deeper costs stack and time. */
export const JSON_MAX_DEPTH = 32;
const TOO_DEEP = `The request body nests objects and arrays deeper than ${JSON_MAX_DEPTH} levels`;

/** Whitespace JSON allows before a value, then the value's first character. */
const FIRST_CHAR = /^[ \t\n\r]*(.)/s;

/** A `charset` parameter other than UTF-8 (the only one JSON allows, RFC 8259). */
const FOREIGN_CHARSET = /;\s*charset\s*=\s*(?!"?utf-8"?\s*(?:;|$))/i;

/**
 * The parser of `application/json` bodies, read as UTF-8 text within BODY_LIMIT by Fastify.
 * Fastify's own parser does the parsing (refusing `__proto__` and `constructor.prototype`
 * keys); around it:
 * - an empty body is `{}`, as the API always took it, rather than Fastify's 400;
 * - the body must be an object or an array (body-parser's `strict`): `42` or `"x"` is a 400;
 * - a compressed body or one in another charset is refused with 415, not misread as invalid JSON;
 * - a body nested deeper than JSON_MAX_DEPTH is a 400 before anything parses it (validation and
 *   transformation recurse, and would overflow their stack or spend long on it).
 * Errors reach AllExceptionsFilter, which words Fastify's own (invalid JSON, too large).
 */
export function jsonBodyParser(fastify: FastifyInstance) {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return function parseJsonBody(request: FastifyRequest, body: string, done: Done): void {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      done(new UnsupportedMediaTypeException(ENCODING_UNSUPPORTED));
      return;
    }
    const type = request.headers['content-type'];
    if (type !== undefined && type.length > 16 && FOREIGN_CHARSET.test(type)) {
      done(new UnsupportedMediaTypeException(ENCODING_UNSUPPORTED));
      return;
    }
    if (body.length === 0) {
      done(null, {});
      return;
    }
    const first = body.charCodeAt(0) === 0x7b ? '{' : FIRST_CHAR.exec(body)?.[1];
    if (first !== '{' && first !== '[') {
      done(new BadRequestException(NOT_JSON));
      return;
    }
    if (nestsDeeperThan(body, JSON_MAX_DEPTH)) {
      done(new BadRequestException(TOO_DEEP));
      return;
    }
    parse(request, body, done);
  };
}

/** True when the JSON text opens more than `max` objects or arrays at once (brackets in strings do not count). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

import { randomBytes } from 'node:crypto';
import { BadRequestError } from '../../common/errors/domain-errors';

/**
 * A new entity tag for a flag written at `version`: `"<version>-<random>"`, made on every write
 * and stored with it. The version is there for people reading logs; the random part is what
 * makes the tag mean one write, so a version number given out again (by a store that lost the
 * write which had it first) never matches a tag handed out for other content. Clients treat the
 * whole tag as opaque.
 */
export function newFlagEtag(version: number): string {
  return `"${version}-${randomBytes(12).toString('base64url')}"`;
}

/** An If-Match condition: any current flag (`*`), or one of the listed entity tags. */
export type IfMatch = '*' | readonly string[];

/** One list element: an entity tag (RFC 9110 8.8.3), weak or strong. */
const ENTITY_TAG = /(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"/y;
const LIST_SPACE = /[ \t,]*/y;
const MAX_TAGS = 20;
const MALFORMED = 'If-Match must be "*" or the ETag of the flag as you read it, sent back exactly as received';

/** What parseIfMatch takes, as the OpenAPI document states it: empty, `*`, or 1-20 entity tags. */
const TAG = '(?:W\\/)?"[\\x21\\x23-\\x7e\\x80-\\xff]*"';
export const IF_MATCH_PATTERN = new RegExp(`^\\s*$|^\\s*\\*\\s*$|^[ \\t,]*${TAG}(?:[ \\t]*,[ \\t,]*${TAG}){0,${MAX_TAGS - 1}}[ \\t,]*$`);

/**
 * The If-Match header (RFC 9110 13.1.1): `*` or a comma-separated list of entity tags. Absent or
 * empty is no condition; anything else malformed is a client error naming the header.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  let at = 0;
  for (;;) {
    LIST_SPACE.lastIndex = at;
    LIST_SPACE.exec(header);
    at = LIST_SPACE.lastIndex;
    if (at === header.length) break;
    ENTITY_TAG.lastIndex = at;
    const tag = ENTITY_TAG.exec(header);
    if (!tag) throw new BadRequestError(MALFORMED);
    at = ENTITY_TAG.lastIndex;
    // Elements are separated by a comma, with optional whitespace around it.
    const rest = header.slice(at).trimStart();
    if (rest !== '' && !rest.startsWith(',')) throw new BadRequestError(MALFORMED);
    tags.push(tag[0]);
    if (tags.length > MAX_TAGS) throw new BadRequestError(`If-Match lists more than ${MAX_TAGS} entity tags`);
  }
  if (!tags.length) throw new BadRequestError(MALFORMED);
  return tags;
}

/** Strong comparison, as If-Match requires: a weak tag never matches. */
export function ifMatchAllows(condition: IfMatch, etag: string): boolean {
  return condition === '*' || condition.includes(etag);
}

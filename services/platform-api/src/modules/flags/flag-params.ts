import { Param, type PipeTransform } from '@nestjs/common';
import { FLAG_KEY_PATTERN } from '@dezky/contracts';
import { NotFoundError } from '../../common/errors/domain-errors';
import { IF_MATCH_PATTERN } from './flag-etag';

/** A `:key` that cannot be a flag key names nothing. */
class FlagKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FLAG_KEY_PATTERN.test(value)) throw new NotFoundError(`Flag ${JSON.stringify(String(value).slice(0, 70))} not found`);
    return value;
  }
}
export const KeyParam = () => Param('key', new FlagKeyPipe());

export const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the flag as you read it (from GET, or from the answer to your last change), sent back exactly as received, or `*`; when the flag has changed since, 412 and nothing changes. Empty is the same as absent.',
  schema: { type: 'string', pattern: IF_MATCH_PATTERN.source },
} as const;

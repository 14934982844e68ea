import { Param, type PipeTransform } from '@nestjs/common';
import { FLAG_KEY_PATTERN } from '@dezky/contracts';
import { NotFoundError } from '../../common/errors/domain-errors';

/** A `:key` that cannot be a flag key names nothing. */
export class FlagKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FLAG_KEY_PATTERN.test(value)) throw new NotFoundError(`Flag ${JSON.stringify(String(value).slice(0, 70))} not found`);
    return value;
  }
}

/** The route's `:key`, a flag key (else the 404 of a flag that does not exist). */
export const KeyParam = () => Param('key', new FlagKeyPipe());

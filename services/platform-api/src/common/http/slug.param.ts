import { Param, PipeTransform } from '@nestjs/common';
import { isSlug } from '@dezky/contracts';
import { NotFoundError } from '../errors/domain-errors';

/** A `:slug` path segment that cannot name anything (bad shape) is simply not found. */
class SlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isSlug(value)) throw new NotFoundError(`Nothing is named ${JSON.stringify(String(value).slice(0, 60))}`);
    return value;
  }
}

export const SlugParam = (): ParameterDecorator => Param('slug', new SlugPipe());

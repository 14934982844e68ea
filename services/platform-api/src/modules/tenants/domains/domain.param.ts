import { Param, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../../../common/errors/domain-errors';
import { describeDomainProblem, normalizeDomainName } from './domain-name';

/** A `:domain` path segment in its ASCII form (any spelling names it); one that does not normalise names nothing. */
class DomainPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const result = normalizeDomainName(String(value));
    if (!result.ok) throw new NotFoundError(`No domain is named ${describeDomainProblem(String(value), `(it ${result.reason})`)}`);
    return result.name;
  }
}

export const DomainParam = (): ParameterDecorator => Param('domain', new DomainPipe());

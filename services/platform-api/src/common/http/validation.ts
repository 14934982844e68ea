import { ValidationPipe, type ArgumentMetadata, type PipeTransform, type Type, type ValidationPipeOptions } from '@nestjs/common';

/** The one validation policy of every request body and query: unknown properties are refused. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
};

/**
 * For a hot route whose body is a DTO without transformations: a body that `accept` recognises
 * as valid is taken as it is, anything else goes through the full validation of `dto` (so the
 * 400s are exactly those of the global pipe). Declare the parameter `unknown` (the global pipe
 * then leaves it alone) and document the body with `@ApiBody({ type: dto })`.
 */
export class FastPathBody<T> implements PipeTransform<unknown, Promise<T>> {
  private readonly full = new ValidationPipe(VALIDATION_OPTIONS);

  constructor(
    private readonly dto: Type<T>,
    private readonly accept: (body: unknown) => body is T,
  ) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<T> {
    if (this.accept(value)) return value;
    return (await this.full.transform(value, { ...metadata, metatype: this.dto })) as T;
  }
}

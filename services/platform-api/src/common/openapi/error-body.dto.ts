import { ApiProperty } from '@nestjs/swagger';
import type { ErrorBody } from '../filters/all-exceptions.filter';

/** The body of every error answer (AllExceptionsFilter), as the API documents it. */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request', description: 'The reason phrase of the status, or the kind of problem' }) error!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong, in words; a list when a body breaks several rules',
    example: ['slug must be lowercase letters, digits and single hyphens'],
  })
  message!: string | string[];
}

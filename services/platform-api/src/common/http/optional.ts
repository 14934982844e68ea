import { ValidateIf } from 'class-validator';

/**
 * An optional body field: it may be left out, but an explicit null is validated like any other
 * value (and so refused), unlike class-validator's IsOptional, which lets null through to be
 * stored. Fields where null means something (detaching a partner) say so themselves.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

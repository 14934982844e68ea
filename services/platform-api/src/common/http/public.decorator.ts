import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'dezky:isPublic';

/** Marks a route or controller as open to anonymous callers; everything else requires a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

import { SetMetadata } from '@nestjs/common';

export const SERVED_FROM_MEMORY = 'dezky:servedFromMemory';

/**
 * A route that answers from the in-memory read models, so it keeps serving (marked stale
 * where that matters) while MongoDB is down. Every other authenticated route answers 503 at
 * once during an outage instead of waiting for the driver to give up.
 */
export const ServedFromMemory = (): ClassDecorator & MethodDecorator => SetMetadata(SERVED_FROM_MEMORY, true);

// Request bodies are small JSON documents: anything above NUXT_BODY_LIMIT is answered 413 before it
// is read. h3 reads whatever a route asks for, whole, into memory, and nuxt-security's size limiter
// leaves PATCH and chunked bodies alone, so the limit is kept here: a declared length is checked as
// it is (Node never delivers more than it), and a chunked body is read here, up to the limit, and
// handed to the route as the request's `rawBody`, which h3 reads instead of the stream.
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

function tooLarge(limit: number) {
  return createError({ statusCode: 413, statusMessage: 'Payload Too Large', message: `The request body must be at most ${limit} bytes.` });
}

export default defineEventHandler(async (event) => {
  if (isSafeMethod(event) || !hasRequestBody(event)) return;
  const limit = requestBodyLimit(event);
  const declared = getRequestHeader(event, 'content-length');
  if (declared !== undefined) {
    if (Number(declared) > limit) throw tooLarge(limit);
    return;
  }
  const req = event.node.req as IncomingMessage & { rawBody?: Buffer };
  try {
    req.rawBody = await getRawBody(req, { limit });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge(limit);
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'The request body could not be read.' });
  }
});

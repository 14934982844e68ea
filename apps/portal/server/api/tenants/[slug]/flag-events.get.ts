// GET /api/tenants/:slug/flag-events → text/event-stream: the platform API's OFREP change
// notifications for the tenant (`data: {"type":"refetchEvaluation","etag":...}` whenever its
// evaluated flags may have changed, a keepalive comment every 25 s), for useFeatureFlags'
// EventSource. The stream's URL comes from the OFREP bulk evaluation's `eventStreams`; it
// carries a signed grant, so it is opened here and never sent to the browser. 404 for a tenant
// that does not exist and for one the user does not belong to, alike.
import type { H3Error } from 'h3';

/** What this route reads of `POST /ofrep/v1/evaluate/flags`. */
interface OfrepBulkAnswer {
  eventStreams?: { type?: unknown; endpoint?: { requestUri?: unknown } }[];
}

export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);

  let requestUri: string | undefined;
  try {
    const answer = await platformApi<OfrepBulkAnswer>(event, '/ofrep/v1/evaluate/flags', {
      method: 'POST',
      body: { context: { targetingKey: slug } },
    });
    // The evaluation's ETag is no header of the stream.
    removeResponseHeader(event, 'etag');
    const stream = answer.eventStreams?.find((s) => s.type === 'sse' && typeof s.endpoint?.requestUri === 'string');
    requestUri = stream?.endpoint?.requestUri as string | undefined;
  } catch (error) {
    // OFREP answers a tenant the user cannot see with 400 INVALID_CONTEXT: answer it exactly as
    // GET /api/tenants/:slug does (that call throws the API's 404).
    if ((error as H3Error).statusCode === 400) {
      await platformApi(event, `/tenants/${slug}`);
      throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API failed to answer.' });
    }
    throw error;
  }
  if (!requestUri) {
    console.error('[flag-events] the OFREP bulk evaluation named no event stream');
    throw createError({ statusCode: 502, statusMessage: 'Bad Gateway', message: 'The platform API offers no flag change notifications.' });
  }

  try {
    await relayPlatformApiEvents(event, requestUri);
  } catch (error) {
    // The membership ended between the evaluation and the stream: the same 404 as above.
    if ((error as H3Error).statusCode === 404) await platformApi(event, `/tenants/${slug}`);
    throw error;
  }
});

// DELETE /api/webhooks/:id → platform API DELETE /webhooks/:id: the endpoint and its delivery log.
import { idSegment } from './-schema';

export default defineEventHandler(async (event) => {
  await platformApi(event, `/webhooks/${idSegment(event)}`, { method: 'DELETE' });
  setResponseStatus(event, 204);
  return null;
});

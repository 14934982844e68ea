// POST /api/flags/evaluate → platform API POST /flags/evaluate: every flag's value for one tenant.
import type { EvaluatedFlags } from '@dezky/contracts';
import { evaluateSchema } from './-schema';

export default defineEventHandler(async (event) => {
  const body = await validBody(event, evaluateSchema);
  return platformApi<EvaluatedFlags>(event, '/flags/evaluate', { method: 'POST', body });
});

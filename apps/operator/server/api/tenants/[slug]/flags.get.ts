// GET /api/tenants/:slug/flags → the tenant's evaluated flags, each with why it has its value.
// Platform API: POST /flags/evaluate { tenantSlug } for the values, GET /flags for the flags'
// descriptions and states, and GET /flags/:key/explain?tenant= per flag (a few at a time).
import { FLAG_KEY_PATTERN, type EvaluatedFlags, type Flag, type FlagExplanation, type FlagState } from '@dezky/contracts';
import { slugParam } from '../-validate';

export interface TenantFlag {
  key: string;
  description: string;
  state: FlagState | null;
  /** The rollout percentage (meaningful in state rollout). */
  pct: number | null;
  /** The value the tenant gets (POST /flags/evaluate). */
  value: boolean;
  /** Why (GET /flags/:key/explain); null when the flag vanished between the calls. */
  explanation: FlagExplanation | null;
}

/** How many explain calls run at once. */
const CONCURRENCY = 8;

async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export default defineEventHandler(async (event): Promise<{ items: TenantFlag[] }> => {
  const slug = slugParam(event);
  const [values, flags] = await Promise.all([
    platformApi<EvaluatedFlags>(event, '/flags/evaluate', { method: 'POST', body: { tenantSlug: slug } }),
    platformApi<{ items: Flag[] }>(event, '/flags'),
  ]);
  // GET /flags passes the flag set's ETag down; it says nothing about this answer.
  removeResponseHeader(event, 'etag');
  setResponseHeader(event, 'cache-control', 'private, no-store');

  const byKey = new Map(flags.items.map((flag) => [flag.key, flag]));
  const keys = Object.keys(values).filter((key) => FLAG_KEY_PATTERN.test(key)).sort(naturalCompare);
  const items = await mapPool(keys, CONCURRENCY, async (key): Promise<TenantFlag> => {
    const flag = byKey.get(key);
    let explanation: FlagExplanation | null = null;
    try {
      const explained = await platformApi<FlagExplanation & { context?: unknown }>(event, `/flags/${encodeURIComponent(key)}/explain`, { query: { tenant: slug } });
      const { context: _context, ...rest } = explained;
      explanation = rest as FlagExplanation;
    } catch (error) {
      // Deleted since the evaluation: keep the evaluated value, without an explanation.
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    return { key, description: flag?.description ?? '', state: flag?.state ?? null, pct: flag?.pct ?? null, value: values[key] === true, explanation };
  });
  return { items };
});

// GET /api/flag-usage → platform API GET /flag-usage (operators only): every flag's evaluations
// (last one, per day for 14 days) and whether it is potentially stale.
import type { FlagUsageList } from '@dezky/contracts';

export default defineEventHandler((event) => platformApi<FlagUsageList>(event, '/flag-usage'));

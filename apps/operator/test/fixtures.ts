import type { Flag } from '@dezky/contracts';

/** A flag as GET /api/flags/:key answers it. */
export function makeFlag(overrides: Partial<Flag> = {}): Flag {
  const scope: Flag['scope'] = { plans: ['business', 'enterprise'], tenantSlugs: [], partnerSlugs: ['nordic-it'], environments: ['production'] };
  const history: Flag['history'] = [{ at: '2026-11-30T09:15:00.000Z', actor: 'admin@dezky.test', changes: { pct: { from: 10, to: 25 } } }];
  const flag: Flag = { id: '6650f0c2a1b2c3d4e5f60718', key: 'new_billing_engine', description: 'The new billing engine', state: 'rollout', pct: 25, scope, protected: false, version: 7, etag: '"f-7c1e2a"', history, createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-30T09:15:00.000Z' };
  return { ...flag, ...overrides };
}

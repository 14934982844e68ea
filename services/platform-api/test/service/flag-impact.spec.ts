import type { TenantDetail } from '@dezky/contracts';
import { rolloutBucket } from '@dezky/flags-core';
import { FlagsService } from '../../src/modules/flags/flags.service';
import { makeFlag, makePartner, makeRoot, makeTenant } from './support/factories';
import { startServices, type Services } from './support/services';

/**
 * The preview of a flag change (FlagsService.impact): who gains and who loses the flag, counted
 * over every tenant, then applied for real to check that the preview was the truth.
 */
describe('FlagsService.impact', () => {
  let s: Services;
  let flags: FlagsService;
  let tenants: TenantDetail[];
  const byPlan = (...plans: string[]) => tenants.filter((t) => plans.includes(t.plan)).map((t) => t.slug).sort();

  beforeAll(async () => {
    s = await startServices();
    flags = s.get(FlagsService);
    const partner = await makePartner(s, { slug: 'impact-partner' });
    await makeRoot(s);
    const plans = ['starter', 'starter', 'starter', 'business', 'business', 'enterprise'] as const;
    tenants = await Promise.all([...plans.map((plan) => makeTenant(s, { plan })), ...Array.from({ length: 14 }, () => makeTenant(s, { plan: 'starter', partner }))]);
  });
  afterAll(() => s?.close());

  it('widening a targeted flag gains exactly the newly matched tenants and loses none', async () => {
    const flag = await makeFlag(s, { state: 'targeted', scope: { plans: ['business'] } });
    const impact = await flags.impact(flag.key, { scope: { plans: ['business', 'enterprise'] } });
    expect(impact).toEqual({ total: 20, before: 2, after: 3, gainedCount: 1, lostCount: 0, gained: byPlan('enterprise'), lost: [] });
  });

  it('turning a flag off loses everyone who had it; a page of the list keeps the full counts', async () => {
    const flag = await makeFlag(s, { state: 'targeted', scope: { plans: ['starter'] } });
    const starters = byPlan('starter');
    const impact = await flags.impact(flag.key, { state: 'off' }, { offset: 5, limit: 4, list: 'lost' });
    expect(impact).toEqual({ total: 20, before: 17, after: 0, gainedCount: 0, lostCount: 17, gained: [], lost: starters.slice(5, 9) });
  });

  it('narrowing to a partner swaps the sets: the counts are those the flag shows once applied', async () => {
    const flag = await makeFlag(s, { state: 'targeted', scope: { plans: ['business', 'enterprise'] } });
    const draft = { scope: { plans: [], partnerSlugs: ['impact-partner'] } };
    const impact = await flags.impact(flag.key, draft);
    expect(impact).toMatchObject({ total: 20, before: 3, after: 14, gainedCount: 14, lostCount: 3, lost: byPlan('business', 'enterprise') });

    const root = await makeRoot(s);
    await flags.update(root, flag.key, draft, undefined);
    const on = [];
    for (const t of tenants) if ((await flags.explain(flag.key, t.slug)).value) on.push(t.slug);
    expect(on.sort()).toEqual([...impact.gained].sort());
  });

  it('a rollout gains exactly the tenants whose bucket is below the percentage', async () => {
    const flag = await makeFlag(s);
    const impact = await flags.impact(flag.key, { state: 'rollout', pct: 40 });
    const expected = tenants.filter((t) => rolloutBucket(t.id, flag.key) < 40).map((t) => t.slug).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(impact).toEqual({ total: 20, before: 0, after: expected.length, gainedCount: expected.length, lostCount: 0, gained: expected, lost: [] });
  });

  it('a scope naming what does not exist is refused, naming each value', async () => {
    const flag = await makeFlag(s);
    await expect(flags.impact(flag.key, { scope: { plans: ['platinum'], tenantSlugs: ['nobody-here'] } })).rejects.toMatchObject({
      message: 'Invalid scope: unknown plans: platinum (plans are starter, business, enterprise); unknown tenant slugs: nobody-here',
    });
  });
});

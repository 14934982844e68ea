import { monthlyPriceCents } from '@dezky/contracts';
import { PartnersService } from '../../src/modules/partners/partners.service';
import { makePartner, makeRoot, makeTenant } from './support/factories';
import { startServices, type Services } from './support/services';

/** A partner's customers, MRR and margin, as the partner pages list them. */
describe('PartnersService stats', () => {
  let s: Services;
  let partners: PartnersService;

  beforeAll(async () => {
    s = await startServices();
    partners = s.get(PartnersService);
  });
  afterAll(() => s?.close());

  it('counts every attached tenant and sums the monthly price of the active subscriptions only', async () => {
    const partner = await makePartner(s, { marginPct: 15 });
    const other = await makePartner(s);
    await Promise.all([
      makeTenant(s, { partner, plan: 'business', status: 'active', seats: 3 }),
      makeTenant(s, { partner, plan: 'starter', status: 'active' }),
      makeTenant(s, { partner, plan: 'enterprise' }), // trialing: a customer, no revenue yet
      makeTenant(s, { partner, plan: 'business', status: 'canceled', seats: 2 }),
      makeTenant(s, { partner: other, plan: 'enterprise', status: 'active', seats: 10 }),
      makeTenant(s, { plan: 'enterprise', status: 'active' }),
    ]);

    const mrr = monthlyPriceCents('business', 3) + monthlyPriceCents('starter', 1);
    expect(await partners.get(partner.slug)).toMatchObject({ customers: 4, mrr, margin: Math.round((mrr * 15) / 100) });
    expect(await partners.get(other.slug)).toMatchObject({ customers: 1, mrr: monthlyPriceCents('enterprise', 10) });
  });

  it('a partner without tenants has zero of everything, and terminating it keeps its tenants counted', async () => {
    const partner = await makePartner(s);
    expect(await partners.get(partner.slug)).toMatchObject({ customers: 0, mrr: 0, margin: 0 });
    await makeTenant(s, { partner, plan: 'business', status: 'active' });
    const terminated = await partners.terminate(await makeRoot(s), partner.slug);
    expect(terminated).toMatchObject({ status: 'terminated', customers: 1, mrr: monthlyPriceCents('business', 1) });
  });
});

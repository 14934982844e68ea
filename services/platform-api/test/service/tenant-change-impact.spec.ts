import type { Partner, TenantDetail } from '@dezky/contracts';
import { BadRequestError, NotFoundError } from '../../src/common/errors/domain-errors';
import { FlagsService } from '../../src/modules/flags/flags.service';
import { TenantsService } from '../../src/modules/tenants/tenants.service';
import { makeFlag, makePartner, makeRoot, makeTenant } from './support/factories';
import { startServices, type Services } from './support/services';

/**
 * What a plan or partner change would flip for one tenant (FlagsService.tenantChangeImpact),
 * over a fixed set of flags, and checked against the tenant's flags once the change is made.
 */
describe('FlagsService.tenantChangeImpact', () => {
  let s: Services;
  let flags: FlagsService;
  let partner: Partner;
  let flagCount: number;
  const keys = { enterprise: 'tci_enterprise', partner: 'tci_partner', starterOnly: 'tci_starter_only' };
  const flipped = (impact: { gained: { key: string }[]; lost: { key: string }[] }) => ({ gained: impact.gained.map((f) => f.key), lost: impact.lost.map((f) => f.key) });
  const values = async (slug: string) => new Map((await flags.forTenant(slug)).items.map((f) => [f.key, f.value]));

  beforeAll(async () => {
    s = await startServices();
    flags = s.get(FlagsService);
    partner = await makePartner(s, { slug: 'tci-partner' });
    await makeFlag(s, { state: 'targeted', scope: { plans: ['enterprise'] } }, keys.enterprise);
    await makeFlag(s, { state: 'targeted', scope: { partnerSlugs: [partner.slug] } }, keys.partner);
    await makeFlag(s, { state: 'targeted', scope: { plans: ['starter'] } }, keys.starterOnly);
    await makeFlag(s, { state: 'on' }, 'tci_everyone');
    flagCount = (await flags.forTenant((await makeTenant(s)).slug)).items.length;
  });
  afterAll(() => s?.close());

  it('an upgrade to enterprise gains the enterprise flag and loses the starter one, with the reasons on both sides', async () => {
    const tenant = await makeTenant(s, { plan: 'starter' });
    const impact = await flags.tenantChangeImpact(tenant.slug, { plan: 'enterprise' });
    expect(flipped(impact)).toEqual({ gained: [keys.enterprise], lost: [keys.starterOnly] });
    expect(impact.unchanged).toBe(flagCount - 2);
    expect(impact.gained[0]).toMatchObject({ before: { value: false }, after: { value: true } });
    // Nothing changed: the tenant is still on its plan.
    expect((await values(tenant.slug)).get(keys.enterprise)).toBe(false);
  });

  it('attaching to a partner gains its flag; detaching loses it; an unknown partner is a 400', async () => {
    const loose = await makeTenant(s);
    expect(flipped(await flags.tenantChangeImpact(loose.slug, { partnerId: partner.id }))).toEqual({ gained: [keys.partner], lost: [] });
    const attached = await makeTenant(s, { partner });
    expect(flipped(await flags.tenantChangeImpact(attached.slug, { partnerId: null }))).toEqual({ gained: [], lost: [keys.partner] });
    expect(flipped(await flags.tenantChangeImpact(attached.slug, { partnerId: partner.id }))).toEqual({ gained: [], lost: [] });
    await expect(flags.tenantChangeImpact(attached.slug, { partnerId: 'ffffffffffffffffffffffff' })).rejects.toThrow(BadRequestError);
    await expect(flags.tenantChangeImpact('no-such-tenant', { plan: 'business' })).rejects.toThrow(NotFoundError);
  });

  it('the preview of a plan and partner change is what the tenant gets once it is made', async () => {
    const tenant: TenantDetail = await makeTenant(s, { plan: 'starter' });
    const change = { plan: 'enterprise' as const, partnerId: partner.id };
    const impact = await flags.tenantChangeImpact(tenant.slug, change);
    const before = await values(tenant.slug);
    await s.get(TenantsService).update(await makeRoot(s), tenant.slug, change);
    const after = await values(tenant.slug);
    const gained = [...after].filter(([k, v]) => v && !before.get(k)).map(([k]) => k);
    const lost = [...after].filter(([k, v]) => !v && before.get(k)).map(([k]) => k);
    expect(flipped(impact)).toEqual({ gained, lost });
    expect(gained.sort()).toEqual([keys.enterprise, keys.partner]);
  });
});

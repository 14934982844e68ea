import type { TenantDomain } from '@dezky/contracts';
import { startDnsServer, type DnsServer } from '@dezky/test-stack';
import { AuthentikAdapter } from '../../src/modules/provisioning/authentik.adapter';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * A tenant's domains: normalised to ASCII, pending until the domain's DNS carries the claim's TXT
 * record, unique only once verified. DNS answers come from a real DNS server on loopback whose
 * records each test sets, asked by the API's own resolver (DNS_RESOLVER).
 */
describe('tenant domains', () => {
  let s: Session;
  let dns: DnsServer;

  beforeAll(async () => {
    dns = await startDnsServer();
    s = await startSession({ DNS_RESOLVER: dns.address });
    await s.alice.post('/tenants', { slug: 'alice-co', name: 'Alice Co' }).expect(201);
    await s.bob.post('/tenants', { slug: 'bob-co', name: 'Bob Co' }).expect(201);
  });
  afterAll(async () => {
    await s?.close();
    await dns?.stop();
  });

  const raw = (slug: string) => s.db.collection('tenants').findOne({ slug });
  const claim = (who: Caller, slug: string, domain: string) => who.post(`/tenants/${slug}/domains`, { domain });
  const verify = (who: Caller, slug: string, domain: string) => who.post(`/tenants/${slug}/domains/${encodeURIComponent(domain)}/verify`);
  /** Publishes the claim's TXT record, as the domain's owner would at their DNS provider. */
  const publish = (domain: TenantDomain, ...others: string[]) => dns.setTxt(domain.name, [domain.verification!.value, ...others]);
  const audits = async (action: string, tenantSlug: string) => {
    const id = String((await raw(tenantSlug))!._id);
    return (await s.admin.get(`/audit?action=${action}&resourceId=${id}&limit=100`)).body.items as { actor: { email: string }; before: { domains: TenantDomain[] }; after: { domains: TenantDomain[] } }[];
  };

  it("a customer's domain starts pending, stored in ASCII, with a TXT record of its own to publish", async () => {
    const res = await claim(s.bob, 'bob-co', 'Bücher.DE');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      name: 'xn--bcher-kva.de',
      displayName: 'bücher.de',
      status: 'pending',
      verification: { type: 'TXT', name: 'xn--bcher-kva.de', value: expect.stringMatching(/^dezky-verification=[A-Za-z0-9_-]{32}$/) },
      addedAt: expect.any(String),
      verifiedAt: null,
      verifiedBy: null,
    });
    const tenant = await s.bob.get('/tenants/bob-co');
    expect(tenant.body.domains).toEqual([res.body]);
    expect(await raw('bob-co')).not.toHaveProperty('verifiedDomains');

    // Alice's claim of the same name is her own, with another token.
    const alices = await claim(s.alice, 'alice-co', 'xn--bcher-kva.de');
    expect(alices.status).toBe(201);
    expect(alices.body.verification.value).not.toBe(res.body.verification.value);
    expect((await audits('tenant.domain_add', 'bob-co')).map((a) => a.actor.email)).toEqual(['bob@customer.test']);

    // The same name in another spelling is a repeat, not a second domain.
    const again = await claim(s.bob, 'bob-co', 'bücher.de');
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already has the domain xn--bcher-kva.de');
  });

  it.each([
    ['not a host', 'not a valid domain name'],
    ['a_b.com', 'not a valid domain name'],
    ['acme.eu/evil', 'not a valid domain name'],
    ['localhost', 'needs a top-level domain'],
    ['1.2.3.4', 'needs a top-level domain'],
    ['', 'is empty'],
  ])('refuses %j with 400 naming it, changing nothing', async (domain, reason) => {
    const before = await raw('bob-co');
    const res = await claim(s.bob, 'bob-co', domain);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain(JSON.stringify(JSON.stringify(domain)).slice(1, -1));
    expect(JSON.stringify(res.body.message)).toContain(reason);
    expect(await raw('bob-co')).toEqual(before);
  });

  it('refuses lists with a bad domain or two spellings of one, naming them, on create and on PATCH', async () => {
    const bad = await s.alice.post('/tenants', { slug: 'list-co', name: 'List', domains: ['ok.eu', 'bad_name.eu'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('bad_name.eu');
    const twice = await s.alice.post('/tenants', { slug: 'list-co', name: 'List', domains: ['Bücher.de', 'xn--bcher-kva.de'] });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body.message)).toContain('must not repeat a domain: xn--bcher-kva.de');
    const patch = await s.admin.patch('/tenants/bob-co', { domains: ['x.eu', 42] });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body.message)).toContain('42 is not a domain name');
    expect(await raw('list-co')).toBeNull();
  });

  it('homograph: the Cyrillic spelling and its punycode are one domain, which the first to verify it holds', async () => {
    const cyrillic = await claim(s.bob, 'bob-co', '\u0430cme.eu');
    expect(cyrillic.status).toBe(201);
    expect(cyrillic.body).toMatchObject({ name: 'xn--cme-5cd.eu', displayName: '\u0430cme.eu', status: 'pending' });
    publish(cyrillic.body);
    const verified = await verify(s.bob, 'bob-co', '\u0430cme.eu');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ name: 'xn--cme-5cd.eu', status: 'verified', verification: null, verifiedBy: 'dns', verifiedAt: expect.any(String) });
    expect(dns.queries).toContain('xn--cme-5cd.eu');

    for (const spelling of ['xn--cme-5cd.eu', 'XN--CME-5CD.EU', '\u0430cme.eu']) {
      const taken = await claim(s.alice, 'alice-co', spelling);
      expect(taken.status, spelling).toBe(409);
      expect(taken.body.message).toBe('Domain already verified by another tenant: xn--cme-5cd.eu');
    }
    // The Latin name is another domain altogether.
    expect((await claim(s.alice, 'alice-co', 'acme.eu')).body).toMatchObject({ name: 'acme.eu', status: 'pending' });
    expect((await raw('alice-co'))!.domains.map((d: { name: string }) => d.name)).not.toContain('xn--cme-5cd.eu');
  });

  it("squatting: Bob's pending gmail.com blocks nobody; Alice verifies it, and Bob's claim can no longer be verified", async () => {
    const bobs = (await claim(s.bob, 'bob-co', 'gmail.com')).body as TenantDomain;
    const alices = await claim(s.alice, 'alice-co', 'gmail.com');
    expect(alices.status).toBe(201);
    expect(alices.body.status).toBe('pending');

    // gmail.com exists, without the record.
    dns.setTxt('gmail.com', []);
    const missing = await verify(s.bob, 'bob-co', 'gmail.com');
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe(
      `No TXT record "${bobs.verification!.value}" was found on gmail.com. Add it at the domain's DNS provider and check again; a new record can take a while to appear.`,
    );

    // The domain's real owner publishes Alice's record.
    publish(alices.body, 'v=spf1 -all');
    expect((await verify(s.alice, 'alice-co', 'gmail.com')).body).toMatchObject({ status: 'verified', verifiedBy: 'dns' });

    // Even were Bob's record there too, his claim lost: 409, and nothing changes for him.
    publish(bobs, alices.body.verification.value);
    const lost = await verify(s.bob, 'bob-co', 'gmail.com');
    expect(lost.status).toBe(409);
    expect(lost.body.message).toBe('Domain gmail.com is already verified by another tenant: this claim of it can no longer be verified');
    expect((await raw('bob-co'))!.domains.find((d: { name: string }) => d.name === 'gmail.com').status).toBe('pending');
    expect((await s.admin.post('/tenants/bob-co/domains/gmail.com/mark-verified')).status).toBe(409);
    expect((await s.bob.post('/tenants', { slug: 'bob-two', name: 'Bob Two', domains: ['gmail.com'] })).status).toBe(409);
  });

  it('says what is wrong when the record is missing, the domain does not exist or its DNS fails, and changes nothing', async () => {
    const domain = (await claim(s.bob, 'bob-co', 'bob-shop.eu')).body as TenantDomain;
    const before = await raw('bob-co');

    dns.setTxt('bob-shop.eu', ['google-site-verification=abc', 'dezky-verification=someone-elses-token']);
    const wrong = await verify(s.bob, 'bob-co', 'bob-shop.eu');
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toContain(`No TXT record "${domain.verification!.value}" was found on bob-shop.eu (it has 2 other TXT records)`);

    // Only the domain's own TXT records count, not a record on another name.
    dns.setTxt('bob-shop.eu', []);
    dns.setTxt('_dezky-verification.bob-shop.eu', [domain.verification!.value]);
    expect((await verify(s.bob, 'bob-co', 'bob-shop.eu')).status).toBe(422);

    dns.clear('bob-shop.eu');
    const nxdomain = await verify(s.bob, 'bob-co', 'bob-shop.eu');
    expect(nxdomain.status).toBe(422);
    expect(nxdomain.body.message).toContain('bob-shop.eu does not exist in DNS (NXDOMAIN)');

    dns.set('bob-shop.eu', { rcode: 'SERVFAIL' });
    const servfail = await verify(s.bob, 'bob-co', 'bob-shop.eu');
    expect(servfail.status).toBe(422);
    expect(servfail.body.message).toBe("The DNS lookup of bob-shop.eu failed (SERVFAIL): check the domain's name servers, then try again");

    dns.set('bob-shop.eu', 'silent');
    const silent = await verify(s.bob, 'bob-co', 'bob-shop.eu');
    expect(silent.status).toBe(503);
    expect(silent.body.message).toBe('DNS could not be asked about bob-shop.eu (ETIMEOUT); try again shortly');

    expect(await raw('bob-co')).toEqual(before);
    expect(await audits('tenant.domain_verify', 'bob-co')).toHaveLength(1);

    // Once the record is there, the same check verifies it.
    publish(domain);
    expect((await verify(s.bob, 'bob-co', 'bob-shop.eu')).body.status).toBe('verified');
  });

  it("members and operators check a tenant's domains; anyone else gets the tenant's 404", async () => {
    const domain = (await claim(s.admin, 'alice-co', 'alice-mail.eu')).body as TenantDomain;
    expect(domain.status).toBe('pending');
    for (const who of [s.bob, s.carol]) {
      const res = await verify(who, 'alice-co', 'alice-mail.eu');
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('Tenant alice-co not found');
      expect((await claim(who, 'alice-co', 'evil.eu')).status).toBe(404);
      expect((await who.delete('/tenants/alice-co/domains/alice-mail.eu')).status).toBe(404);
    }
    expect((await verify(s.alice, 'alice-co', 'never-added.eu')).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Tenant alice-co has no domain never-added.eu' });
    expect((await verify(s.alice, 'alice-co', 'not a domain')).status).toBe(404);
    publish(domain);
    expect((await verify(s.admin, 'alice-co', 'alice-mail.eu')).body.status).toBe('verified');
    const recorded = (await audits('tenant.domain_verify', 'alice-co')).length;
    // Checking a verified domain again changes nothing and records nothing.
    const before = await raw('alice-co');
    const again = await verify(s.alice, 'alice-co', 'alice-mail.eu');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('verified');
    expect(await raw('alice-co')).toEqual(before);
    expect(await audits('tenant.domain_verify', 'alice-co')).toHaveLength(recorded);
  });

  it('operators verify a domain by hand, audited; customers and non-administrators cannot', async () => {
    await claim(s.bob, 'bob-co', 'Bob-Bakery.example');
    expect((await s.bob.post('/tenants/bob-co/domains/bob-bakery.example/mark-verified')).status).toBe(403);
    expect((await s.carol.post('/tenants/bob-co/domains/bob-bakery.example/mark-verified')).status).toBe(403);
    expect((await s.admin.post('/tenants/bob-co/domains/not-there.example/mark-verified')).status).toBe(404);

    const res = await s.admin.post('/tenants/bob-co/domains/BOB-BAKERY.example/mark-verified');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'bob-bakery.example', status: 'verified', verifiedBy: 'operator', verification: null });
    expect((await s.admin.post('/tenants/bob-co/domains/bob-bakery.example/mark-verified')).status).toBe(200);

    const entries = await audits('tenant.domain_mark_verified', 'bob-co');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor.email).toBe('admin@dezky.test');
    expect(entries[0]!.before.domains.find((d) => d.name === 'bob-bakery.example')!.status).toBe('pending');
    expect(entries[0]!.after.domains.find((d) => d.name === 'bob-bakery.example')!.status).toBe('verified');
    expect((await raw('bob-co'))!.verifiedDomains).toContain('bob-bakery.example');
  });

  it('two tenants verifying one domain at the same moment: exactly one holds it', async () => {
    const rounds = 5;
    for (let i = 0; i < rounds; i++) {
      const name = `race-${i}.example`;
      const a = (await claim(s.alice, 'alice-co', name)).body as TenantDomain;
      const b = (await claim(s.bob, 'bob-co', name)).body as TenantDomain;
      dns.setTxt(name, [a.verification!.value, b.verification!.value]);
      // Round 0..4 alternate DNS against DNS and DNS against an operator's hand.
      const second = i % 2 ? s.admin.post(`/tenants/bob-co/domains/${name}/mark-verified`) : verify(s.bob, 'bob-co', name);
      const results = await Promise.all([verify(s.alice, 'alice-co', name), second]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, `${name}: ${JSON.stringify(results.map((r) => r.body))}`).toEqual([200, 409]);
      expect(await s.db.collection('tenants').countDocuments({ verifiedDomains: name })).toBe(1);
    }
  });

  it('removing a verified domain frees it: another tenant then verifies its own claim', async () => {
    const alices = (await claim(s.alice, 'alice-co', 'handover.example')).body as TenantDomain;
    const bobs = (await claim(s.bob, 'bob-co', 'handover.example')).body as TenantDomain;
    publish(alices);
    await verify(s.alice, 'alice-co', 'handover.example').expect(200);
    publish(bobs);
    expect((await verify(s.bob, 'bob-co', 'handover.example')).status).toBe(409);

    expect((await s.alice.delete('/tenants/alice-co/domains/handover.example')).status).toBe(204);
    expect((await s.alice.delete('/tenants/alice-co/domains/handover.example')).status).toBe(404);
    expect((await raw('alice-co'))!.verifiedDomains).not.toContain('handover.example');
    expect((await verify(s.bob, 'bob-co', 'handover.example')).body.status).toBe('verified');
    expect(await audits('tenant.domain_remove', 'alice-co')).toHaveLength(1);
  });

  it('every domain write records a change of the tenant, so read models follow', async () => {
    const id = String((await raw('alice-co'))!._id);
    const count = () => s.db.collection('changes').countDocuments({ kind: 'tenant', ref: id });
    const before = await count();
    const domain = (await claim(s.alice, 'alice-co', 'changes.example')).body as TenantDomain;
    publish(domain);
    await verify(s.alice, 'alice-co', 'changes.example').expect(200);
    await s.alice.delete('/tenants/alice-co/domains/changes.example').expect(204);
    expect(await count()).toBe(before + 3);
  });

  it("operators' PATCH replaces the list: kept domains keep their status, new ones start pending", async () => {
    await s.alice.post('/tenants', { slug: 'patch-co', name: 'Patch Co', domains: ['Keep.example', 'drop.example'] }).expect(201);
    await s.admin.post('/tenants/patch-co/domains/keep.example/mark-verified').expect(200);
    const res = await s.admin.patch('/tenants/patch-co', { domains: ['keep.example', 'Neu-Bücher.example'] });
    expect(res.status).toBe(200);
    expect(res.body.domains.map((d: TenantDomain) => [d.name, d.status])).toEqual([
      ['keep.example', 'verified'],
      ['xn--neu-bcher-u9a.example', 'pending'],
    ]);
    await claim(s.bob, 'bob-co', 'held.example').expect(201);
    await s.admin.post('/tenants/bob-co/domains/held.example/mark-verified').expect(200);
    const taken = await s.admin.patch('/tenants/patch-co', { domains: ['keep.example', 'held.example'] });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe('Domain already verified by another tenant: held.example');
    const cleared = await s.admin.patch('/tenants/patch-co', { domains: [] });
    expect(cleared.body.domains).toEqual([]);
    const doc = await raw('patch-co');
    expect(doc).not.toHaveProperty('domains');
    expect(doc).not.toHaveProperty('verifiedDomains');
    // keep.example is free again.
    expect((await claim(s.bob, 'bob-co', 'keep.example')).status).toBe(201);
  });

  it('integrations are given verified domains only', async () => {
    const adapter = s.t.app.get(AuthentikAdapter);
    const spy = vi.spyOn(adapter, 'provision');
    try {
      await s.alice.post('/tenants', { slug: 'prov-co', name: 'Prov Co', domains: ['prov-pending.example', 'prov-verified.example'] }).expect(201);
      expect(spy.mock.calls.at(-1)![0].domains).toEqual([]);
      // Verifying a domain provisions the tenant again, with it.
      await s.admin.post('/tenants/prov-co/domains/prov-verified.example/mark-verified').expect(200);
      expect(spy.mock.calls.at(-1)![0].domains).toEqual(['prov-verified.example']);
      await s.alice.post('/tenants/prov-co/reconcile').expect(200);
      expect(spy.mock.calls.at(-1)![0]).toMatchObject({ slug: 'prov-co', domains: ['prov-verified.example'] });
    } finally {
      spy.mockRestore();
    }
  });

  it('a tenant has at most 50 domains', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `d${i}.full.example`);
    await s.alice.post('/tenants', { slug: 'full-co', name: 'Full', domains: names }).expect(201);
    const res = await claim(s.alice, 'full-co', 'one-more.example');
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('50 domains');
    expect((await s.alice.post('/tenants', { slug: 'over-co', name: 'Over', domains: [...names, 'x.example'] })).status).toBe(400);
  });
});

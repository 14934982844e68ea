import type { Connection } from 'mongoose';
import { FlagsService } from '../../src/modules/flags/flags.service';
import { TenantsRepository } from '../../src/modules/tenants/tenants.repository';
import { WriteRecorder } from '../../src/modules/writes/write-recorder';
import { makeFlag, makePartner, makeRoot, makeTenant } from './support/factories';
import { startServices, type Services } from './support/services';

/** WriteRecorder: the change log first, applied here before it returns, then the audit log. */
describe('WriteRecorder', () => {
  let s: Services;
  let recorder: WriteRecorder;

  const lastSeq = async (db: Connection) => (await db.collection<{ seq: number }>('changes').find().sort({ seq: -1 }).limit(1).toArray())[0]?.seq ?? 0;
  const changesAfter = (db: Connection, seq: number) => db.collection<{ seq: number; kind: string; ref: string; at: Date }>('changes').find({ seq: { $gt: seq } }).sort({ seq: 1 }).toArray();
  const auditOf = (db: Connection, id: string) => db.collection<{ action: string; at: Date }>('audit').find({ 'resource.id': id }).sort({ at: -1, _id: -1 }).limit(1).toArray();

  beforeAll(async () => {
    s = await startServices();
    recorder = s.get(WriteRecorder);
  });
  afterAll(() => s?.close());

  it("a tenant's write reaches evaluation in this process by the time it returns, and is audited after", async () => {
    const root = await makeRoot(s);
    const tenant = await makeTenant(s, { plan: 'starter' });
    const flag = await makeFlag(s, { state: 'targeted', scope: { plans: ['enterprise'] } });
    const flags = s.get(FlagsService);
    const after = (await s.get(TenantsRepository).update(tenant.slug, { plan: 'enterprise' }, []))!;
    // Written but not recorded: evaluation still serves what it knew.
    expect((await flags.explain(flag.key, tenant.slug)).value).toBe(false);

    const seq = await lastSeq(s.db);
    await recorder.recordWrite({ actor: root, action: 'tenant.update', target: { type: 'tenant', id: tenant.id }, before: tenant, after });
    expect((await flags.explain(flag.key, tenant.slug)).value).toBe(true);
    const [change] = await changesAfter(s.db, seq);
    const [entry] = await auditOf(s.db, tenant.id);
    expect(change).toMatchObject({ kind: 'tenant', ref: tenant.id });
    expect(entry).toMatchObject({ action: 'tenant.update' });
    expect(change!.at.getTime()).toBeLessThanOrEqual(entry!.at.getTime());
  });

  it('names the target for the kinds the read models follow, and exactly what a write names otherwise', async () => {
    const root = await makeRoot(s);
    const partner = await makePartner(s);
    const record = async (write: Omit<Parameters<WriteRecorder['recordWrite']>[0], 'actor' | 'before' | 'after'>) => {
      const seq = await lastSeq(s.db);
      await recorder.recordWrite({ actor: root, before: null, after: null, ...write });
      return (await changesAfter(s.db, seq)).map((c) => `${c.kind}:${c.ref}`);
    };
    expect(await record({ action: 'user.grant_admin', target: { type: 'user', id: root.userId } })).toEqual([`user:${root.userId}`]);
    expect(await record({ action: 'flag.update', target: { type: 'flag', id: 'some_flag' } })).toEqual(['flag:some_flag']);
    expect(await record({ action: 'partner.update', target: { type: 'partner', id: partner.id } })).toEqual([]);
    expect(await record({ action: 'subscription.update', target: { type: 'subscription', id: partner.id } })).toEqual([]);
    expect(await record({ action: 'tenant.suspend', target: { type: 'tenant', id: partner.id }, changes: [] })).toEqual([]);
    expect(await record({ action: 'tenant.update', target: { type: 'tenant', id: 't1' }, changes: [{ kind: 'membership', ref: 'u:t1' }, { kind: 'tenant', ref: 't1' }] })).toEqual(['membership:u:t1', 'tenant:t1']);
  });
});

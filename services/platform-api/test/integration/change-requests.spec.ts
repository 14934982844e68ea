import type { Connection } from 'mongoose';
import { Clock } from '../../src/common/clock';
import { FlagScheduler } from '../../src/modules/flags/flag-scheduler';
import { createTestApp } from '../support/app';
import { CAROL } from '../support/identity';
import { caller, startSession, type Caller, type Session } from '../support/session';

/**
 * Four-eyes approval of protected flags: changes go through change requests that another
 * platform administrator approves, the kill switch excepted. Among the rules, the failures of
 * other flag tools: an edit after approval must not keep the approval (GrowthBook #5477,
 * Flagsmith #7056), a revert must not skip approval (GrowthBook #4310).
 */
const DAVE = { sub: 'user-dave', email: 'dave@dezky.test', name: 'Dave Deputy' };

interface AuditDoc {
  action: string;
  resource: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const idOf = async (c: Caller) => (await c.get('/me').expect(200)).body.profile.id as string;
const audits = (db: Connection, key: string) => db.collection<AuditDoc>('audit').find({ 'resource.type': 'flag', 'resource.id': key }).sort({ at: 1, _id: 1 }).toArray();
const etagOf = async (c: Caller, key: string) => (await c.get(`/flags/${key}`).expect(200)).body.etag as string;

/** Another operator admin, signed by the test IdP's key, made admin by `granter`. */
async function secondAdmin(s: Session, granter: Caller, who: { sub: string; email: string; name: string }): Promise<Caller> {
  const c = caller(s.t, await s.id.sign('operator', who));
  await granter.patch(`/users/${await idOf(c)}`, { platformAdmin: true }).expect(200);
  return c;
}

describe('change requests of protected flags', () => {
  let s: Session;
  let dave: Caller;

  /** Opens a change request of `key` with `draft`, as `by`, against the flag as it is now. */
  const open = async (by: Caller, key: string, draft: object) => by.post(`/flags/${key}/change-requests`, draft).set('If-Match', await etagOf(by, key));
  const opened = async (by: Caller, key: string, draft: object) => {
    const res = await open(by, key, draft);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; status: string; baseVersion: number };
  };
  const protectedFlag = async (key: string, draft?: object) => {
    await s.admin.post('/flags', { key, description: `${key} probe` }).expect(201);
    if (draft) await s.admin.patch(`/flags/${key}`, draft).expect(200);
    await s.admin.post(`/flags/${key}/protect`).expect(200);
  };

  beforeAll(async () => {
    // No scheduler ticks by itself (FLAG_SCHEDULE_TICK_MS=0): the ramp test calls tick() with a
    // moved clock, and a timed tick under way at that moment would be the one it awaits, reading
    // the real time, at which the step is not due.
    s = await startSession({ FLAG_SCHEDULE_TICK_MS: '0' });
    await s.alice.post('/tenants', { slug: 'cr-one', name: 'CR One', plan: 'business' }).expect(201);
    await s.alice.post('/tenants', { slug: 'cr-two', name: 'CR Two' }).expect(201);
  });
  afterAll(() => s?.close());

  it('refuses to protect a flag while the only platform administrator could not have its changes approved', async () => {
    await s.admin.post('/flags', { key: 'lone_flag', description: 'Lone' }).expect(201);
    const before = (await s.admin.get('/flags/lone_flag')).body;
    expect(before.protected).toBe(false);
    const refused = await s.admin.post('/flags/lone_flag/protect');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/nobody could approve/);
    expect(refused.body.message).toMatch(/there is 1\b/);
    const after = (await s.admin.get('/flags/lone_flag')).body;
    expect(after.etag).toBe(before.etag);
    expect(after.protected).toBe(false);
    expect((await audits(s.db, 'lone_flag')).map((a) => a.action)).toEqual(['flag.create']);

    // A second administrator who can reach operator routes makes it possible.
    await s.admin.patch(`/users/${await idOf(s.carol)}`, { platformAdmin: true }).expect(200);
    const protectedNow = await s.admin.post('/flags/lone_flag/protect');
    expect(protectedNow.status).toBe(200);
    expect(protectedNow.body).toMatchObject({ protected: true, version: before.version + 1 });
    expect(protectedNow.headers.etag).toBe(protectedNow.body.etag);
    expect(protectedNow.body.history[0].changes).toEqual({ protected: { from: false, to: true } });
    const protectAudit = (await audits(s.db, 'lone_flag')).at(-1)!;
    expect(protectAudit).toMatchObject({ action: 'flag.protect', before: { protected: false }, after: { protected: true } });
    // Again: answered as it is.
    expect((await s.admin.post('/flags/lone_flag/protect').expect(200)).body.version).toBe(before.version + 1);
    // Every flag answer says whether it is protected.
    const listed = (await s.admin.get('/flags').expect(200)).body.items as { key: string; protected: boolean }[];
    expect(listed.find((f) => f.key === 'lone_flag')?.protected).toBe(true);
    expect(listed.find((f) => f.key === 'gdpr_export_v2')?.protected).toBe(false);

    dave = await secondAdmin(s, s.admin, DAVE);
  });

  it('answers 409 naming the change-request route to PATCH, revert (GrowthBook #4310) and DELETE of a protected flag; nothing changes', async () => {
    await protectedFlag('guarded_flag', { state: 'on' });
    const before = (await s.admin.get('/flags/guarded_flag')).body;
    const patch = await s.admin.patch('/flags/guarded_flag', { state: 'off' }).set('If-Match', before.etag);
    expect(patch.status).toBe(409);
    expect(patch.body.message).toContain('POST /flags/guarded_flag/change-requests');
    // Version 1 (off) is kept: a revert to it is a change that needs approval like any other.
    const revert = await s.admin.post('/flags/guarded_flag/revert', { version: 1 }).set('If-Match', before.etag);
    expect(revert.status).toBe(409);
    expect(revert.body.message).toContain('POST /flags/guarded_flag/change-requests');
    expect((await s.carol.post('/flags/guarded_flag/revert', { version: 1 })).status).toBe(409);
    const removed = await s.admin.delete('/flags/guarded_flag');
    expect(removed.status).toBe(409);
    expect(removed.body.message).toMatch(/protected/);
    const after = (await s.admin.get('/flags/guarded_flag').expect(200)).body;
    expect(after.etag).toBe(before.etag);
    expect(after.state).toBe('on');
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'cr-one' })).body.guarded_flag).toBe(true);
  });

  it('opens a request with the draft, the full diff, the exact impact and the drafted version; refuses bad input with 4xx and stores nothing', async () => {
    await protectedFlag('open_flag');
    const flag = (await s.admin.get('/flags/open_flag')).body;
    const count = async () => (await s.admin.get('/change-requests?flag=open_flag').expect(200)).body.total as number;

    const noIfMatch = await s.admin.post('/flags/open_flag/change-requests', { state: 'on' });
    expect(noIfMatch.status).toBe(428);
    expect(noIfMatch.body.message).toMatch(/If-Match/);
    expect((await s.admin.post('/flags/open_flag/change-requests', { state: 'on' }).set('If-Match', '*')).status).toBe(428);
    expect((await s.admin.post('/flags/open_flag/change-requests', { state: 'on' }).set('If-Match', '"9-stale"')).status).toBe(412);
    expect((await s.admin.post('/flags/open_flag/change-requests', { state: 'on' }).set('If-Match', 'garbage')).status).toBe(400);
    for (const body of [{}, { pct: 101 }, { state: 'sideways' }, { protected: true }, { revertTo: 1, state: 'on' }, { revertTo: 0 }, { state: 'on', extra: 1 }, { scope: { plans: ['platinum'] } }, { scope: { tenantSlugs: ['nobody-here'] } }]) {
      const res = await s.admin.post('/flags/open_flag/change-requests', body).set('If-Match', flag.etag);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toBeTruthy();
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    }
    const same = await s.admin.post('/flags/open_flag/change-requests', { state: 'off' }).set('If-Match', flag.etag);
    expect(same.status).toBe(409);
    expect(same.body.message).toMatch(/changes nothing/);
    const unprotected = await s.admin.post('/flags/gdpr_export_v2/change-requests', { state: 'on' }).set('If-Match', await etagOf(s.admin, 'gdpr_export_v2'));
    expect(unprotected.status).toBe(409);
    expect(unprotected.body.message).toMatch(/not protected/);
    expect((await s.admin.post('/flags/no_such_flag/change-requests', { state: 'on' }).set('If-Match', '"1-x"')).status).toBe(404);
    expect(await count()).toBe(0);

    const res = await s.admin.post('/flags/open_flag/change-requests', { state: 'targeted', scope: { plans: ['business'] } }).set('If-Match', flag.etag);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      flagKey: 'open_flag',
      draft: { state: 'targeted', scope: { plans: ['business'] } },
      revertTo: null,
      changes: { state: { from: 'off', to: 'targeted' }, 'scope.plans': { from: [], to: ['business'] } },
      author: { email: 'admin@dezky.test' },
      baseVersion: flag.version,
      baseEtag: flag.etag,
      status: 'pending',
      reviews: [],
      approvalsRequired: 1,
      stale: false,
      flagVersion: flag.version,
      appliedVersion: null,
    });
    const impact = (await s.admin.post('/flags/open_flag/impact', { state: 'targeted', scope: { plans: ['business'] } }).expect(200)).body;
    expect(res.body.impact).toEqual(impact);
    expect(res.body.impact.gained).toContain('cr-one');
    expect(res.body.impact.gained).not.toContain('cr-two');
    // Opening changes nothing on the flag; it is audited with the request's id.
    expect((await s.admin.get('/flags/open_flag')).body.etag).toBe(flag.etag);
    const entry = (await audits(s.db, 'open_flag')).at(-1)!;
    expect(entry).toMatchObject({ action: 'flag.change_request_open', before: null, after: { changeRequestId: res.body.id } });
    expect(JSON.stringify((await s.admin.get(`/change-requests/${res.body.id}`).expect(200)).body)).toBe(JSON.stringify(res.body));
  });

  it('never lets the author approve or reject their own request; another administrator approves and the draft applies through the flag', async () => {
    await protectedFlag('approve_flag');
    const flag = (await s.admin.get('/flags/approve_flag')).body;
    const request = await opened(s.admin, 'approve_flag', { state: 'on' });

    const own = await s.admin.post(`/change-requests/${request.id}/approve`, { comment: 'looks fine to me' });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/another platform administrator must approve it/);
    expect((await s.admin.post(`/change-requests/${request.id}/reject`, { comment: 'no' })).status).toBe(403);
    expect((await s.admin.get(`/change-requests/${request.id}`)).body).toMatchObject({ status: 'pending', reviews: [] });
    expect((await s.admin.get('/flags/approve_flag')).body.etag).toBe(flag.etag);

    const approved = await s.carol.post(`/change-requests/${request.id}/approve`, { comment: 'Go ahead' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', appliedVersion: flag.version + 1, reviews: [{ decision: 'approve', comment: 'Go ahead', actor: { email: 'carol@dezky.test' } }] });
    const after = (await s.admin.get('/flags/approve_flag')).body;
    expect(after).toMatchObject({ state: 'on', version: flag.version + 1, protected: true });
    expect(after.history[0]).toMatchObject({ actor: 'carol@dezky.test', changes: { state: { from: 'off', to: 'on' } }, approval: { kind: 'change-request', changeRequestId: request.id, author: 'admin@dezky.test' } });
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'cr-two' })).body.approve_flag).toBe(true);
    const entries = await audits(s.db, 'approve_flag');
    expect(entries.map((a) => a.action).slice(-2)).toEqual(['flag.change_request_open', 'flag.change_request_approve']);
    expect(entries.at(-1)).toMatchObject({ before: { state: 'off', version: flag.version, changeRequestId: request.id }, after: { state: 'on', version: flag.version + 1, changeRequestId: request.id } });

    // Closed: a second approval changes nothing.
    expect((await dave.post(`/change-requests/${request.id}/approve`, {})).status).toBe(409);
    expect((await s.admin.get('/flags/approve_flag')).body.version).toBe(flag.version + 1);
  });

  it('rejects only with a comment, and nothing changes', async () => {
    await protectedFlag('reject_flag');
    const flag = (await s.admin.get('/flags/reject_flag')).body;
    const request = await opened(s.admin, 'reject_flag', { state: 'on' });
    for (const body of [{}, { comment: '' }, { comment: '   ' }, { comment: 7 }, { comment: 'x'.repeat(2001) }]) {
      const res = await s.carol.post(`/change-requests/${request.id}/reject`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(JSON.stringify((await s.carol.post(`/change-requests/${request.id}/reject`, {})).body.message)).toMatch(/comment is required/);
    const rejected = await s.carol.post(`/change-requests/${request.id}/reject`, { comment: 'Not during the migration' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reviews: [{ decision: 'reject', comment: 'Not during the migration' }] });
    expect((await s.admin.get('/flags/reject_flag')).body.etag).toBe(flag.etag);
    expect((await audits(s.db, 'reject_flag')).at(-1)).toMatchObject({ action: 'flag.change_request_reject', after: { changeRequestId: request.id, status: 'rejected' } });
    expect((await dave.post(`/change-requests/${request.id}/approve`, {})).status).toBe(409);
    expect((await s.admin.patch(`/change-requests/${request.id}`, { state: 'rollout', pct: 5 })).status).toBe(409);
  });

  it('refuses to approve a request drafted on an older version ("rebase first"), and nothing changes; the author rebases it', async () => {
    await protectedFlag('moved_flag');
    const first = await opened(s.admin, 'moved_flag', { state: 'on' });
    const second = await opened(s.admin, 'moved_flag', { description: 'Renamed while the first was pending' });
    await s.carol.post(`/change-requests/${first.id}/approve`, {}).expect(200);
    const moved = (await s.admin.get('/flags/moved_flag')).body;

    expect((await s.admin.get(`/change-requests/${second.id}`)).body).toMatchObject({ stale: true, flagVersion: moved.version, baseVersion: second.baseVersion });
    const refused = await s.carol.post(`/change-requests/${second.id}/approve`, { comment: 'ok' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/rebase it first/);
    expect((await s.admin.get('/flags/moved_flag')).body.etag).toBe(moved.etag);
    expect((await s.admin.get(`/change-requests/${second.id}`)).body).toMatchObject({ status: 'pending', reviews: [] });

    expect((await s.carol.post(`/change-requests/${second.id}/rebase`)).status).toBe(403);
    const rebased = await s.admin.post(`/change-requests/${second.id}/rebase`);
    expect(rebased.status).toBe(200);
    expect(rebased.body).toMatchObject({ stale: false, baseVersion: moved.version, baseEtag: moved.etag, changes: { description: { from: 'moved_flag probe', to: 'Renamed while the first was pending' } } });
    expect((await audits(s.db, 'moved_flag')).at(-1)).toMatchObject({ action: 'flag.change_request_rebase', after: { changeRequestId: second.id, baseVersion: moved.version } });
    await s.carol.post(`/change-requests/${second.id}/approve`, {}).expect(200);
    expect((await s.admin.get('/flags/moved_flag')).body).toMatchObject({ state: 'on', description: 'Renamed while the first was pending' });
  });

  it('lets the kill switch bypass approval at once, audited as such; pending requests of the flag become stale', async () => {
    await protectedFlag('incident_flag', { state: 'on' });
    const pending = await opened(s.admin, 'incident_flag', { description: 'A calm change' });
    const killed = await s.carol.post('/flags/incident_flag/kill');
    expect(killed.status).toBe(200);
    expect(killed.body).toMatchObject({ state: 'off', pct: 0, protected: true });
    expect(killed.body.history[0]).toMatchObject({ actor: 'carol@dezky.test', changes: { state: { from: 'on', to: 'off' } }, approval: { kind: 'bypassed', via: 'kill' } });
    const entry = (await audits(s.db, 'incident_flag')).at(-1)!;
    expect(entry).toMatchObject({ action: 'flag.kill', after: { state: 'off', bypassedApproval: true } });
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'cr-one' })).body.incident_flag).toBe(false);
    expect((await s.admin.get(`/change-requests/${pending.id}`)).body).toMatchObject({ status: 'pending', stale: true });
    expect((await s.admin.get('/change-requests?status=pending&flag=incident_flag')).body.items).toMatchObject([{ id: pending.id, stale: true }]);
    expect((await dave.post(`/change-requests/${pending.id}/approve`, {})).status).toBe(409);
    // An unprotected flag's kill says nothing about approval.
    await s.admin.post('/flags', { key: 'plain_kill', description: 'Plain' }).expect(201);
    await s.admin.patch('/flags/plain_kill', { state: 'on' }).expect(200);
    const plain = await s.admin.post('/flags/plain_kill/kill').expect(200);
    expect(plain.body.history[0].approval).toBeUndefined();
    expect((await audits(s.db, 'plain_kill')).at(-1)!.after).not.toHaveProperty('bypassedApproval');
  });

  it('reverts and un-protects only through approved requests', async () => {
    await protectedFlag('revert_cr_flag', { state: 'rollout', pct: 20 });
    const flag = (await s.admin.get('/flags/revert_cr_flag')).body;
    // Version 1: off, 0%.
    const request = await opened(s.admin, 'revert_cr_flag', { revertTo: 1 });
    expect(request).toMatchObject({ revertTo: 1, changes: { state: { from: 'rollout', to: 'off' }, pct: { from: 20, to: 0 } } });
    await s.carol.post(`/change-requests/${request.id}/approve`, {}).expect(200);
    expect((await s.admin.get('/flags/revert_cr_flag')).body).toMatchObject({ state: 'off', pct: 0, protected: true, version: flag.version + 1 });
    expect((await s.admin.post('/flags/revert_cr_flag/change-requests', { revertTo: 99 }).set('If-Match', await etagOf(s.admin, 'revert_cr_flag'))).status).toBe(404);

    const unprotect = await opened(s.admin, 'revert_cr_flag', { protected: false });
    expect(unprotect).toMatchObject({ changes: { protected: { from: true, to: false } } });
    expect((await s.admin.get('/flags/revert_cr_flag')).body.protected).toBe(true);
    await s.carol.post(`/change-requests/${unprotect.id}/approve`, {}).expect(200);
    expect((await s.admin.get('/flags/revert_cr_flag')).body.protected).toBe(false);
    await s.admin.patch('/flags/revert_cr_flag', { state: 'on' }).expect(200);
  });

  it('applies a request exactly once when administrators approve it at the same moment on two API processes, in each of 5 trials', async () => {
    await protectedFlag('race_flag');
    // A second API process on the same database: half the approvals go through it.
    const other = await createTestApp({ ...s.id.env, MONGO_DB_NAME: s.t.dbName });
    const carolThere = caller(other, await s.id.token('operator', CAROL));
    const daveThere = caller(other, await s.id.sign('operator', DAVE));
    const approvers = [s.carol, dave, carolThere, daveThere];
    try {
      await raceApprovals(approvers);
    } finally {
      await other.close();
    }
  });

  async function raceApprovals(approvers: Caller[]): Promise<void> {
    for (let trial = 0; trial < 5; trial++) {
      const before = (await s.admin.get('/flags/race_flag')).body;
      const request = await opened(s.admin, 'race_flag', { pct: trial + 1, state: 'rollout' });
      const auditsBefore = (await audits(s.db, 'race_flag')).length;
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => approvers[i % approvers.length]!.post(`/change-requests/${request.id}/approve`, { comment: `#${i}` })));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((c) => c === 200), statuses.join(',')).toHaveLength(1);
      expect(statuses.every((c) => c === 200 || c === 409), statuses.join(',')).toBe(true);
      const after = (await s.admin.get('/flags/race_flag')).body;
      expect(after.version).toBe(before.version + 1);
      expect(after.pct).toBe(trial + 1);
      const stored = (await s.admin.get(`/change-requests/${request.id}`)).body;
      expect(stored).toMatchObject({ status: 'approved', appliedVersion: before.version + 1 });
      expect(stored.reviews).toHaveLength(1);
      expect((await audits(s.db, 'race_flag')).slice(auditsBefore).map((a) => a.action)).toEqual(['flag.change_request_approve']);
    }
  }

  it('lets only the author edit or withdraw, lists by status and flag, and answers 404 for ids that name nothing', async () => {
    await protectedFlag('author_flag');
    const request = await opened(s.admin, 'author_flag', { state: 'on' });
    expect((await s.carol.patch(`/change-requests/${request.id}`, { state: 'targeted' })).status).toBe(403);
    expect((await s.carol.post(`/change-requests/${request.id}/withdraw`)).status).toBe(403);
    for (const body of [{}, { pct: -1 }, { revertTo: 'x' }, { protected: true }]) expect((await s.admin.patch(`/change-requests/${request.id}`, body)).status, JSON.stringify(body)).toBe(400);
    const edited = await s.admin.patch(`/change-requests/${request.id}`, { state: 'targeted', scope: { plans: ['business'] } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ changes: { state: { from: 'off', to: 'targeted' } }, revision: 2 });
    expect((await audits(s.db, 'author_flag')).at(-1)).toMatchObject({ action: 'flag.change_request_edit', before: { changeRequestId: request.id }, after: { changeRequestId: request.id } });

    const pending = (await s.admin.get('/change-requests?status=pending&flag=author_flag').expect(200)).body;
    expect(pending).toMatchObject({ total: 1, items: [{ id: request.id }] });
    const withdrawn = await s.admin.post(`/change-requests/${request.id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await audits(s.db, 'author_flag')).at(-1)).toMatchObject({ action: 'flag.change_request_withdraw' });
    expect((await s.admin.get('/change-requests?status=pending&flag=author_flag')).body.total).toBe(0);
    expect((await s.admin.get('/change-requests?status=withdrawn&flag=author_flag')).body.total).toBe(1);
    expect((await s.carol.post(`/change-requests/${request.id}/approve`, {})).status).toBe(409);

    const all = (await s.admin.get('/change-requests?status=pending').expect(200)).body.items as { status: string }[];
    expect(all.every((r) => r.status === 'pending')).toBe(true);
    for (const query of ['status=open', 'flag=Not-A-Key', 'limit=0', 'offset=-1']) expect((await s.admin.get(`/change-requests?${query}`)).status, query).toBe(400);
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      expect((await s.admin.get(`/change-requests/${id}`)).status).toBe(404);
      expect((await s.carol.post(`/change-requests/${id}/approve`, {})).status).toBe(404);
    }
    expect((await s.alice.get('/change-requests')).status).toBe(403);
    expect((await s.alice.post(`/change-requests/${request.id}/approve`, {})).status).toBe(403);
  });
  it('plans no ramp on a protected flag, and a plan whose flag is protected since stops before its next step', async () => {
    await protectedFlag('cr_no_ramp');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await s.admin.put('/flags/cr_no_ramp/schedule', { steps: [{ at, state: 'rollout', pct: 10 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/protected/);
    expect((await s.admin.get('/flags/cr_no_ramp/schedule').expect(200)).body.schedule).toBeNull();

    await s.admin.post('/flags', { key: 'cr_ramp_then_protect', description: 'Planned, then protected' }).expect(201);
    await s.admin.put('/flags/cr_ramp_then_protect/schedule', { steps: [{ at: 'now', state: 'rollout', pct: 10 }, { at, pct: 50 }] }).expect(200);
    await s.admin.post('/flags/cr_ramp_then_protect/protect').expect(200);
    const before = (await s.admin.get('/flags/cr_ramp_then_protect').expect(200)).body;
    const clock = s.t.app.get(Clock);
    const spy = vi.spyOn(clock, 'now').mockReturnValue(Date.now() + 2 * 3_600_000);
    try {
      await s.t.app.get(FlagScheduler).tick();
    } finally {
      spy.mockRestore();
    }
    const after = (await s.admin.get('/flags/cr_ramp_then_protect').expect(200)).body;
    expect(after).toMatchObject({ version: before.version, pct: 10 });
    const plan = (await s.admin.get('/flags/cr_ramp_then_protect/schedule').expect(200)).body.schedule;
    expect(plan.status).toBe('paused');
    expect(plan.reason).toMatch(/protected/);
    // Nor can it be resumed while the flag is protected.
    expect((await s.admin.post('/flags/cr_ramp_then_protect/schedule/resume')).status).toBe(409);
  });
});

describe('change requests needing two approvals', () => {
  let s: Session;
  let dave: Caller;

  beforeAll(async () => {
    s = await startSession({ FLAG_CHANGE_APPROVALS: '2' });
    await s.alice.post('/tenants', { slug: 'two-one', name: 'Two One' }).expect(201);
    await s.admin.post('/flags', { key: 'double_flag', description: 'Needs two' }).expect(201);
  });
  afterAll(() => s?.close());

  it('counts the author plus two approvers before a flag can be protected', async () => {
    await s.admin.patch(`/users/${await idOf(s.carol)}`, { platformAdmin: true }).expect(200);
    const refused = await s.admin.post('/flags/double_flag/protect');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/nobody could approve.*2 platform administrators besides its author, and there are 2/);
    dave = await secondAdmin(s, s.admin, DAVE);
    await s.admin.post('/flags/double_flag/protect').expect(200);
  });

  it('resets approvals when the author edits the draft (GrowthBook #5477, Flagsmith #7056), and recomputes the impact', async () => {
    const request = (await s.admin.post('/flags/double_flag/change-requests', { state: 'rollout', pct: 0 }).set('If-Match', await etagOf(s.admin, 'double_flag')).expect(201)).body;
    expect(request.impact.after).toBe(0);
    const first = await s.carol.post(`/change-requests/${request.id}/approve`, { comment: '0% is harmless' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'pending', reviews: [{ decision: 'approve', actor: { email: 'carol@dezky.test' } }] });
    expect((await s.carol.post(`/change-requests/${request.id}/approve`, {})).status).toBe(409);

    // The author turns the harmless draft into everyone at once.
    const edited = await s.admin.patch(`/change-requests/${request.id}`, { state: 'on' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'pending', reviews: [], changes: { state: { from: 'off', to: 'on' } } });
    expect(edited.body.impact.after).toBe(edited.body.impact.total);
    expect(edited.body.impact.gainedCount).toBe(edited.body.impact.total);

    // Carol's approval was of the other draft: Dave's alone does not apply the edited one.
    const second = await dave.post(`/change-requests/${request.id}/approve`, {});
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'pending', appliedVersion: null });
    expect((await s.admin.get('/flags/double_flag')).body.state).toBe('off');
    expect((await s.alice.post('/flags/evaluate', { tenantSlug: 'two-one' })).body.double_flag).toBe(false);

    const third = await s.carol.post(`/change-requests/${request.id}/approve`, { comment: 'On for everyone, then' });
    expect(third.status).toBe(200);
    expect(third.body.status).toBe('approved');
    expect((await s.admin.get('/flags/double_flag')).body.state).toBe('on');
  });

  it('resets approvals on rebase too', async () => {
    const request = (await s.admin.post('/flags/double_flag/change-requests', { description: 'Rebased' }).set('If-Match', await etagOf(s.admin, 'double_flag')).expect(201)).body;
    await s.carol.post(`/change-requests/${request.id}/approve`, {}).expect(200);
    const rebased = await s.admin.post(`/change-requests/${request.id}/rebase`).expect(200);
    expect(rebased.body.reviews).toEqual([]);
    await dave.post(`/change-requests/${request.id}/approve`, {}).expect(200);
    expect((await s.admin.get('/flags/double_flag')).body.description).toBe('Needs two');
  });
});

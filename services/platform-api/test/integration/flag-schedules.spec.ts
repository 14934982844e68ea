import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Clock } from '../../src/common/clock';
import { FlagScheduler } from '../../src/modules/flags/flag-scheduler';
import { FlagsService } from '../../src/modules/flags/flags.service';
import { createTestApp, freshDbName, type TestApp } from '../support/app';
import { ADMIN, ALICE, CAROL, startIdentity, type Identity } from '../support/identity';
import { caller, type Caller } from '../support/session';

const HOUR = 3_600_000;
/** Steps of the tests that call the API with a moved clock: well inside the tokens' hour. */
const STEP = 5 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const SCHEDULER = `scheduler (planned by ${ADMIN})`;

interface AuditDoc {
  action: string;
  actor: { email: string };
  resource: { type: string; id: string };
}

/**
 * Planned ramps, on two API processes sharing one database. Neither ticks by itself
 * (FLAG_SCHEDULE_TICK_MS=0): the tests move each process's Clock and call its scheduler, so
 * every step's time comes without waiting for it.
 */
describe('planned ramps of a flag', () => {
  let id: Identity;
  let a: TestApp;
  let b: TestApp;
  let adminA: Caller;
  let adminB: Caller;
  let aliceB: Caller;
  let db: Connection;
  const tenants = ['ramp-one', 'ramp-two', 'ramp-three', 'ramp-four', 'ramp-five', 'ramp-six'];

  /** One tick of `app`'s scheduler with its clock at `at` (the clock is back to real time after). */
  async function tickAt(app: TestApp, at: number): Promise<void> {
    const spy = vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(at);
    try {
      await app.app.get(FlagScheduler).tick();
    } finally {
      spy.mockRestore();
    }
  }
  /** Both processes tick at `at`, several times at once: a step must still apply once. */
  const bothTickAt = async (at: number) => {
    const spyA = vi.spyOn(a.app.get(Clock), 'now').mockReturnValue(at);
    const spyB = vi.spyOn(b.app.get(Clock), 'now').mockReturnValue(at);
    try {
      const ticks = [a, b, a, b].map((app) => app.app.get(FlagScheduler).tick());
      await Promise.all(ticks);
      await Promise.all([a.app.get(FlagScheduler).tick(), b.app.get(FlagScheduler).tick()]);
    } finally {
      spyA.mockRestore();
      spyB.mockRestore();
    }
  };
  const audits = (key: string, action?: string) => db.collection<AuditDoc>('audit').find({ 'resource.id': key, ...(action ? { action } : {}) }).toArray();
  const createFlag = async (key: string) => {
    await adminA.post('/flags', { key, description: `Ramp ${key}` }).expect(201);
    return (await adminA.get(`/flags/${key}`).expect(200)).body as { version: number; etag: string };
  };

  beforeAll(async () => {
    id = await startIdentity();
    const dbName = freshDbName('ramps');
    a = await createTestApp({ ...id.env, MONGO_DB_NAME: dbName, FLAG_SCHEDULE_TICK_MS: '0' });
    b = await createTestApp({ ...id.env, MONGO_DB_NAME: dbName, FLAG_SCHEDULE_TICK_MS: '0' });
    const [admin, alice] = await Promise.all([id.token('operator', ADMIN), id.token('portal', ALICE)]);
    adminA = caller(a, admin);
    adminB = caller(b, admin);
    aliceB = caller(b, alice);
    db = a.app.get<Connection>(getConnectionToken());
    for (const slug of tenants) await caller(a, alice).post('/tenants', { slug, name: slug }).expect(201);
  }, 90_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await id?.close();
  });

  it('answers null for a flag without a plan, and 404 for no flag', async () => {
    await createFlag('ramp_none');
    expect((await adminA.get('/flags/ramp_none/schedule').expect(200)).body).toEqual({ schedule: null });
    const missing = await adminA.get('/flags/no_such_ramp/schedule');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no_such_ramp/);
  });

  it('refuses an invalid plan with a 400 naming the problem, and saves nothing', async () => {
    await createFlag('ramp_invalid');
    const now = Date.now();
    const cases: [unknown, RegExp][] = [
      [{ steps: [] }, /at least one step/],
      [{}, /steps/],
      [{ steps: [{ at: iso(now - HOUR), pct: 5 }] }, /steps\[0\]\.at .* is in the past/],
      [{ steps: [{ at: iso(now + 2 * HOUR), pct: 5 }, { at: iso(now + HOUR), pct: 10 }] }, /steps\[1\]\.at must be later than steps\[0\]\.at/],
      [{ steps: [{ at: iso(now + HOUR), pct: 5 }, { at: 'now', pct: 10 }] }, /only the first step may be "now"/],
      [{ steps: [{ at: iso(now + HOUR) }] }, /steps\[0\] must change state, pct or both/],
      [{ steps: [{ at: iso(now + 400 * 24 * HOUR), pct: 5 }] }, /more than 366 days ahead/],
      [{ steps: [{ at: 'next tuesday', pct: 5 }] }, /at must be "now" or an ISO 8601 date-time/],
      [{ steps: [{ at: '2030-01-01T10:00:00', pct: 5 }] }, /offset from UTC/],
      [{ steps: [{ at: iso(now + HOUR), pct: 101 }] }, /pct must be an integer from 0 to 100/],
      [{ steps: [{ at: iso(now + HOUR), pct: 12.5 }] }, /pct must be an integer/],
      [{ steps: [{ at: iso(now + HOUR), state: 'maybe' }] }, /state must be one of/],
      [{ steps: Array.from({ length: 21 }, (_, i) => ({ at: iso(now + (i + 1) * HOUR), pct: i })) }, /at most 20 steps/],
      [{ steps: ['soon'] }, /each step must be an object/],
    ];
    for (const [body, message] of cases) {
      const res = await adminA.put('/flags/ramp_invalid/schedule', body as object);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect([res.body.message].flat().join("; "), JSON.stringify(body)).toMatch(message);
      const preview = await adminA.post('/flags/ramp_invalid/schedule/preview', body as object);
      expect(preview.status, JSON.stringify(body)).toBe(400);
    }
    expect((await adminA.get('/flags/ramp_invalid/schedule').expect(200)).body).toEqual({ schedule: null });
    expect(await audits('ramp_invalid', 'flag.schedule_set')).toHaveLength(0);
    const stale = await adminA.put('/flags/ramp_invalid/schedule', { steps: [{ at: iso(now + HOUR), pct: 5 }] }).set('If-Match', '"1-stale"');
    expect(stale.status).toBe(412);
    expect((await adminA.get('/flags/ramp_invalid/schedule').expect(200)).body).toEqual({ schedule: null });
  });

  it('previews every step cumulatively with the impact evaluator, saving nothing', async () => {
    await createFlag('ramp_preview');
    const now = Date.now();
    const steps = [
      { at: 'now', state: 'rollout', pct: 30 },
      { at: iso(now + HOUR), pct: 70 },
      { at: iso(now + 2 * HOUR), state: 'off' },
    ];
    const preview = (await adminA.post('/flags/ramp_preview/schedule/preview', { steps }).expect(200)).body;
    expect(preview.total).toBe(tenants.length);
    expect(preview.steps.map((s: { state: string; pct: number }) => [s.state, s.pct])).toEqual([
      ['rollout', 30],
      ['rollout', 70],
      ['off', 70],
    ]);
    // Each step against the one before: what POST /flags/:key/impact says of the same drafts.
    const first = (await adminA.post('/flags/ramp_preview/impact', { state: 'rollout', pct: 30 }).expect(200)).body;
    const second = (await adminA.post('/flags/ramp_preview/impact', { state: 'rollout', pct: 70 }).expect(200)).body;
    expect(preview.steps[0]).toMatchObject({ before: 0, after: first.after, gainedCount: first.gainedCount, lostCount: 0, gained: first.gained });
    expect(preview.steps[1]).toMatchObject({ before: first.after, after: second.after, gainedCount: second.after - first.after, lostCount: 0 });
    expect(preview.steps[2]).toMatchObject({ before: second.after, after: 0, gainedCount: 0, lostCount: second.after });
    expect((await adminA.get('/flags/ramp_preview/schedule').expect(200)).body).toEqual({ schedule: null });
    expect((await adminA.get('/flags/ramp_preview').expect(200)).body.version).toBe(1);
  });

  it('applies each step exactly once across two processes as the clock reaches it, as the scheduler for its planner', async () => {
    const flag = await createFlag('ramp_once');
    const now = Date.now();
    const saved = await adminA.put('/flags/ramp_once/schedule', {
      steps: [
        { at: 'now', state: 'rollout', pct: 5 },
        { at: iso(now + HOUR), pct: 25 },
        { at: iso(now + 2 * HOUR), pct: 50 },
        { at: iso(now + 3 * HOUR), state: 'on', pct: 100 },
      ],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const plan = saved.body.schedule;
    expect(plan).toMatchObject({ key: 'ramp_once', status: 'active', plannedBy: ADMIN, baseVersion: flag.version, expectedVersion: flag.version + 1 });
    // The "now" step was applied before the answer; the others wait for their time.
    expect(plan.steps.map((s: { version: number | null }) => s.version)).toEqual([flag.version + 1, null, null, null]);
    expect(plan.steps[0].executedAt).not.toBeNull();

    // Before its time nothing applies, however often both tick.
    await bothTickAt(now + HOUR - 1000);
    expect((await adminB.get('/flags/ramp_once').expect(200)).body).toMatchObject({ version: flag.version + 1, state: 'rollout', pct: 5 });

    for (const [i, pct] of [
      [1, 25],
      [2, 50],
    ] as const) {
      await bothTickAt(now + i * HOUR + 1000);
      expect((await adminB.get('/flags/ramp_once').expect(200)).body).toMatchObject({ version: flag.version + 1 + i, state: 'rollout', pct });
    }
    // Late ticks (the process was busy) still apply a step once.
    await bothTickAt(now + 5 * HOUR);
    await bothTickAt(now + 6 * HOUR);

    const done = (await adminB.get('/flags/ramp_once/schedule').expect(200)).body.schedule;
    expect(done.status).toBe('done');
    expect(done.steps.map((s: { version: number }) => s.version)).toEqual([2, 3, 4, 5]);
    const final = (await adminA.get('/flags/ramp_once').expect(200)).body;
    expect(final).toMatchObject({ version: 5, state: 'on', pct: 100 });
    const stepEntries = final.history.filter((h: { actor: string }) => h.actor === SCHEDULER);
    expect(stepEntries).toHaveLength(4);
    expect(stepEntries[0].changes).toEqual({ state: { from: 'rollout', to: 'on' }, pct: { from: 50, to: 100 } });
    const stepAudits = await audits('ramp_once', 'flag.schedule_step');
    expect(stepAudits).toHaveLength(4);
    expect(stepAudits.every((e) => e.actor.email === SCHEDULER)).toBe(true);
    expect((await audits('ramp_once', 'flag.schedule_set')).map((e) => e.actor.email)).toEqual([ADMIN]);

    // Served: the other process's snapshot evaluates the last step for a tenant, once the change
    // reaches it (within a second when the step was applied by the first process).
    await expect.poll(async () => (await aliceB.post('/flags/evaluate', { tenantSlug: 'ramp-one' }).expect(200)).body.ramp_once, { timeout: 3000 }).toBe(true);
  });

  it('records a step that a process applied but died before recording, without applying it again', async () => {
    const flag = await createFlag('ramp_crash');
    const now = Date.now();
    await adminA.put('/flags/ramp_crash/schedule', { steps: [{ at: iso(now + HOUR), state: 'rollout', pct: 30 }] }).expect(200);
    // What the dead process did: the step, as the scheduler, on the expected version; its plan never heard of it.
    const stored = await db.collection<{ plannedById: { toHexString(): string } }>('flag_schedules').findOne({ key: 'ramp_crash' });
    const actor = { userId: stored!.plannedById.toHexString(), email: SCHEDULER, name: 'scheduler', platformAdmin: true, issuer: 'dezky-scheduler', subject: 'scheduler', audiences: [] };
    await a.app.get(FlagsService).applyScheduledStep(actor, 'ramp_crash', { state: 'rollout', pct: 30 }, flag.etag, 1);

    await bothTickAt(now + HOUR + 1000);
    const plan = (await adminA.get('/flags/ramp_crash/schedule').expect(200)).body.schedule;
    expect(plan).toMatchObject({ status: 'done', reason: null });
    expect(plan.steps[0].version).toBe(flag.version + 1);
    expect((await adminA.get('/flags/ramp_crash').expect(200)).body).toMatchObject({ version: flag.version + 1, state: 'rollout', pct: 30 });
    expect(await audits('ramp_crash', 'flag.schedule_step')).toHaveLength(1);
    expect(await audits('ramp_crash', 'flag.schedule_halt')).toHaveLength(0);
  });

  it('pauses the plan instead of overwriting a change someone made, says why, and resumes on the current version', async () => {
    const flag = await createFlag('ramp_human');
    const now = Date.now();
    await adminA.put('/flags/ramp_human/schedule', { steps: [{ at: iso(now + STEP), state: 'rollout', pct: 40 }, { at: iso(now + 2 * STEP), pct: 80 }] }).expect(200);
    // Someone changes the flag through the other process.
    await adminB.patch('/flags/ramp_human', { state: 'targeted', scope: { tenantSlugs: ['ramp-two'] } }).expect(200);

    await bothTickAt(now + STEP + 1000);
    const human = (await adminA.get('/flags/ramp_human').expect(200)).body;
    expect(human).toMatchObject({ version: flag.version + 1, state: 'targeted', pct: 0 });
    const paused = (await adminA.get('/flags/ramp_human/schedule').expect(200)).body.schedule;
    expect(paused.status).toBe('paused');
    expect(paused.reason).toContain(`changed by ${ADMIN}`);
    expect(paused.reason).toContain(`the plan expected version ${flag.version}`);
    expect(paused.steps[0].executedAt).toBeNull();
    const halts = await audits('ramp_human', 'flag.schedule_halt');
    expect(halts.map((e) => e.actor.email)).toEqual([SCHEDULER]);
    // Paused: nothing applies, however late.
    await bothTickAt(now + 3 * STEP);
    expect((await adminA.get('/flags/ramp_human').expect(200)).body.version).toBe(flag.version + 1);

    // Resumed after the first step's time: re-based on the current version; the overdue first step applies at once, the second at its time.
    const spy = vi.spyOn(a.app.get(Clock), 'now').mockReturnValue(now + STEP + 5000);
    let resumed;
    try {
      resumed = (await adminA.post('/flags/ramp_human/schedule/resume').expect(200)).body.schedule;
    } finally {
      spy.mockRestore();
    }
    expect(resumed).toMatchObject({ status: 'active', reason: null, baseVersion: flag.version + 1, expectedVersion: flag.version + 2 });
    expect((await adminA.get('/flags/ramp_human').expect(200)).body).toMatchObject({ version: flag.version + 2, state: 'rollout', pct: 40, scope: { tenantSlugs: ['ramp-two'] } });
    await bothTickAt(now + 2 * STEP + 1000);
    expect((await adminA.get('/flags/ramp_human').expect(200)).body).toMatchObject({ version: flag.version + 3, pct: 80 });
    expect((await adminA.get('/flags/ramp_human/schedule').expect(200)).body.schedule.status).toBe('done');
  });

  it("pauses a plan whose planner is no longer a platform administrator; another administrator's resume makes it theirs", async () => {
    const flag = await createFlag('ramp_revoked');
    const carolToken = await id.token('operator', CAROL);
    const carol = (await caller(a, carolToken).get('/me').expect(200)).body.profile as { id: string };
    await adminA.patch(`/users/${carol.id}`, { platformAdmin: true }).expect(200);
    const carolA = caller(a, carolToken);
    const now = Date.now();
    await carolA.put('/flags/ramp_revoked/schedule', { steps: [{ at: iso(now + STEP), state: 'rollout', pct: 30 }, { at: iso(now + 2 * STEP), pct: 60 }] }).expect(200);
    expect((await adminA.get('/flags/ramp_revoked/schedule').expect(200)).body.schedule.plannedBy).toBe(CAROL);
    // Revoked through the other process: the scheduler reads the planner's rights when a step is due.
    await adminB.patch(`/users/${carol.id}`, { platformAdmin: false }).expect(200);

    await bothTickAt(now + STEP + 1000);
    expect((await adminA.get('/flags/ramp_revoked').expect(200)).body).toMatchObject({ version: flag.version, state: 'off', pct: 0 });
    const paused = (await adminA.get('/flags/ramp_revoked/schedule').expect(200)).body.schedule;
    expect(paused).toMatchObject({ status: 'paused', plannedBy: CAROL });
    expect(paused.reason).toBe(`Step 1 was not applied: ${CAROL}, who planned it, is no longer a platform administrator. Another administrator can resume the plan, which makes it theirs, or cancel it.`);
    expect((await audits('ramp_revoked', 'flag.schedule_halt')).map((e) => e.actor.email)).toEqual([`scheduler (planned by ${CAROL})`]);
    expect(await audits('ramp_revoked', 'flag.schedule_step')).toHaveLength(0);

    // An administrator resumes it: the plan is theirs, and its steps apply as the scheduler for them.
    const resumed = (await adminB.post('/flags/ramp_revoked/schedule/resume').expect(200)).body.schedule;
    expect(resumed).toMatchObject({ status: 'active', plannedBy: ADMIN, reason: null });
    await bothTickAt(now + STEP + 2000);
    expect((await adminA.get('/flags/ramp_revoked').expect(200)).body).toMatchObject({ version: flag.version + 1, state: 'rollout', pct: 30 });
    expect((await audits('ramp_revoked', 'flag.schedule_step')).map((e) => e.actor.email)).toEqual([SCHEDULER]);
  });

  it('refuses to resume a plan whose pending steps are past, rather than applying them back to back', async () => {
    await createFlag('ramp_overdue');
    const now = Date.now();
    await adminA.put('/flags/ramp_overdue/schedule', { steps: [{ at: iso(now + STEP), state: 'on' }, { at: iso(now + 2 * STEP), state: 'off' }] }).expect(200);
    await adminA.post('/flags/ramp_overdue/schedule/pause').expect(200);
    const spy = vi.spyOn(a.app.get(Clock), 'now').mockReturnValue(now + 3 * STEP);
    try {
      const res = await adminA.post('/flags/ramp_overdue/schedule/resume');
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/2 pending steps whose time has passed/);
    } finally {
      spy.mockRestore();
    }
    expect((await adminA.get('/flags/ramp_overdue/schedule').expect(200)).body.schedule.status).toBe('paused');
  });

  it('the kill switch cancels every pending step', async () => {
    const flag = await createFlag('ramp_kill');
    const now = Date.now();
    await adminA.put('/flags/ramp_kill/schedule', { steps: [{ at: 'now', state: 'rollout', pct: 10 }, { at: iso(now + HOUR), pct: 50 }, { at: iso(now + 2 * HOUR), state: 'on' }] }).expect(200);
    await adminB.post('/flags/ramp_kill/kill').expect(200);
    const cancelled = (await adminA.get('/flags/ramp_kill/schedule').expect(200)).body.schedule;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.reason).toMatch(/kill switch/);
    expect((await audits('ramp_kill', 'flag.schedule_delete')).map((e) => e.actor.email)).toEqual([ADMIN]);
    await bothTickAt(now + 3 * HOUR);
    expect((await adminA.get('/flags/ramp_kill').expect(200)).body).toMatchObject({ version: flag.version + 2, state: 'off', pct: 0 });
    expect(await audits('ramp_kill', 'flag.schedule_step')).toHaveLength(1);
  });

  it('pauses, resumes and cancels on request, each audited', async () => {
    const flag = await createFlag('ramp_manual');
    const now = Date.now();
    await adminA.put('/flags/ramp_manual/schedule', { steps: [{ at: iso(now + HOUR), state: 'on' }] }).expect(200);
    const paused = (await adminB.post('/flags/ramp_manual/schedule/pause').expect(200)).body.schedule;
    expect(paused).toMatchObject({ status: 'paused', reason: `Paused by ${ADMIN}` });
    // Pausing again answers the paused plan unchanged.
    expect((await adminB.post('/flags/ramp_manual/schedule/pause').expect(200)).body.schedule.updatedAt).toBe(paused.updatedAt);
    await bothTickAt(now + HOUR + 1000);
    expect((await adminA.get('/flags/ramp_manual').expect(200)).body.version).toBe(flag.version);
    expect((await adminA.post('/flags/ramp_manual/schedule/resume').expect(200)).body.schedule.status).toBe('active');
    const cancelled = (await adminA.delete('/flags/ramp_manual/schedule').expect(200)).body.schedule;
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: `Cancelled by ${ADMIN}` });
    await tickAt(a, now + 2 * HOUR);
    expect((await adminA.get('/flags/ramp_manual').expect(200)).body.version).toBe(flag.version);
    const pauseAgain = await adminA.post('/flags/ramp_manual/schedule/pause');
    expect(pauseAgain.status).toBe(409);
    expect(pauseAgain.body.message).toMatch(/no active plan to pause \(its plan is cancelled\)/);
    expect((await adminA.post('/flags/ramp_manual/schedule/resume')).status).toBe(409);
    expect((await audits('ramp_manual')).map((e) => e.action)).toEqual(['flag.create', 'flag.schedule_set', 'flag.schedule_pause', 'flag.schedule_resume', 'flag.schedule_delete']);
  });

  it('a deleted flag takes its plan with it', async () => {
    await createFlag('ramp_deleted');
    await adminA.put('/flags/ramp_deleted/schedule', { steps: [{ at: iso(Date.now() + HOUR), state: 'on' }] }).expect(200);
    await adminA.delete('/flags/ramp_deleted').expect(204);
    expect(await db.collection('flag_schedules').countDocuments({ key: 'ramp_deleted' })).toBe(0);
    expect((await adminA.get('/flags/ramp_deleted/schedule')).status).toBe(404);
  });

  it('the kill switch cancels the plan of a flag that is already off at 0% too', async () => {
    await createFlag('ramp_kill_off');
    const now = Date.now();
    await adminA.put('/flags/ramp_kill_off/schedule', { steps: [{ at: iso(now + HOUR), state: 'rollout', pct: 50 }] }).expect(200);
    await adminB.post('/flags/ramp_kill_off/kill').expect(200);
    expect((await adminA.get('/flags/ramp_kill_off/schedule').expect(200)).body.schedule).toMatchObject({ status: 'cancelled' });
    await tickAt(a, now + 2 * HOUR);
    expect((await adminA.get('/flags/ramp_kill_off').expect(200)).body).toMatchObject({ state: 'off', pct: 0 });
  });

  it('a cancel sent while a step is being applied waits for it, so what it answers is what happened', async () => {
    await createFlag('ramp_cancel_race');
    const now = Date.now();
    await adminA.put('/flags/ramp_cancel_race/schedule', { steps: [{ at: iso(now + HOUR), state: 'rollout', pct: 50 }, { at: iso(now + 3 * HOUR), pct: 100 }] }).expect(200);
    const flags = a.app.get(FlagsService);
    const apply = flags.applyScheduledStep.bind(flags);
    let cancel: Promise<{ status: number; body: { schedule: { status: string; steps: { executedAt: string | null; version: number | null }[] } } }> | undefined;
    const spy = vi.spyOn(flags, 'applyScheduledStep').mockImplementation(async (...args) => {
      // The other process cancels while this one holds the step's claim.
      cancel = adminB.delete('/flags/ramp_cancel_race/schedule').then((res) => res);
      await new Promise((r) => setTimeout(r, 200));
      return apply(...args);
    });
    try {
      await tickAt(a, now + 2 * HOUR);
    } finally {
      spy.mockRestore();
    }
    const cancelled = await cancel!;
    expect(cancelled.status).toBe(200);
    const flag = (await adminA.get('/flags/ramp_cancel_race').expect(200)).body;
    // The step that was under way applied, and the plan says so; the one after it never will.
    expect(flag).toMatchObject({ state: 'rollout', pct: 50 });
    expect(cancelled.body.schedule.status).toBe('cancelled');
    expect(cancelled.body.schedule.steps[0]).toMatchObject({ version: flag.version });
    expect(cancelled.body.schedule.steps[0]!.executedAt).not.toBeNull();
    await tickAt(b, now + 4 * HOUR);
    expect((await adminA.get('/flags/ramp_cancel_race').expect(200)).body.pct).toBe(50);
  });

  it('refuses a time that does not exist as written', async () => {
    await createFlag('ramp_calendar');
    const year = new Date().getUTCFullYear() + 1;
    for (const at of [`${year}-02-30T10:00:00Z`, `${year}-04-31T10:00:00Z`, `${year}-05-12T24:00:00Z`, `${year}-05-12T10:60:00Z`]) {
      const res = await adminA.put('/flags/ramp_calendar/schedule', { steps: [{ at, pct: 10, state: 'rollout' }] });
      expect(res.status, at).toBe(400);
      expect(res.body.message, at).toContain('steps[0].at');
    }
    expect((await adminA.get('/flags/ramp_calendar/schedule').expect(200)).body.schedule).toBeNull();
  });
});

import type { FlagImpact } from '@dezky/contracts';
import { rolloutBucket } from '@dezky/flags-core';
import { insertTenants } from '@dezky/test-stack';
import { Types } from 'mongoose';
import { ChangeFeed } from '../../src/modules/changes/change-feed.service';
import { startSession, type Session } from '../support/session';

// More tenants than one page of slugs holds (100), inserted in bulk as an import would, so the
// preview's lists are capped and paged.
const TENANTS = 437;
const KEY = 'sso_enforcement'; // seeded off

describe('impact preview: exact counts, slug lists capped at 100 and paged', () => {
  let s: Session;
  const tenants: { id: string; slug: string }[] = [];

  beforeAll(async () => {
    s = await startSession();
    const seeds = Array.from({ length: TENANTS }, (_, i) => {
      const id = new Types.ObjectId().toHexString();
      // Inserted out of slug order, so the lists are sorted by the API and not by accident.
      const slug = `impact-co-${String((i * 211) % TENANTS).padStart(3, '0')}`;
      tenants.push({ id, slug });
      return { id, slug, plan: ['starter', 'business', 'enterprise'][i % 3]! };
    });
    await insertTenants(s.db.db!, seeds);
    // A bulk load announces itself like any write: every process reloads its read models.
    await s.t.app.get(ChangeFeed).record([{ kind: 'all', ref: 'impact-spec' }]);
  }, 60_000);
  afterAll(() => s.close());

  const preview = async (draft: object, query = ''): Promise<FlagImpact> => {
    const res = await s.admin.post(`/flags/${KEY}/impact${query}`, draft);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['server-timing']).toMatch(/^impact;dur=\d+(\.\d+)?$/);
    return res.body as FlagImpact;
  };
  const sorted = (slugs: string[]) => [...slugs].sort();
  const inRollout = (pct: number) => sorted(tenants.filter((t) => rolloutBucket(t.id, KEY) < pct).map((t) => t.slug));

  it('answers exact counts and the first 100 sorted slugs of each list', async () => {
    const expected = inRollout(60);
    expect(expected.length).toBeGreaterThan(200);
    const body = await preview({ state: 'rollout', pct: 60 });
    expect(body).toEqual({
      total: TENANTS,
      before: 0,
      after: expected.length,
      gainedCount: expected.length,
      lostCount: 0,
      gained: expected.slice(0, 100),
      lost: [],
    });
  });

  it('pages one list: the next slugs each time, no overlap, everything covered, the same counts', async () => {
    const expected = inRollout(60);
    const seen: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 100) {
      const page = await preview({ state: 'rollout', pct: 60 }, `?list=gained&offset=${offset}&limit=100`);
      expect(page).toMatchObject({ total: TENANTS, before: 0, after: expected.length, gainedCount: expected.length, lostCount: 0, lost: [] });
      expect(page.gained.length).toBeLessThanOrEqual(100);
      expect(page.gained.some((slug) => seen.includes(slug))).toBe(false);
      seen.push(...page.gained);
    }
    expect(seen).toEqual(expected);
    expect((await preview({ state: 'rollout', pct: 60 }, '?list=gained&offset=3&limit=7')).gained).toEqual(expected.slice(3, 10));
    const past = await preview({ state: 'rollout', pct: 60 }, `?list=gained&offset=${expected.length}`);
    expect(past).toMatchObject({ gained: [], lost: [], gainedCount: expected.length });
  });

  it('pages the lost list of a kill switch, and limit alone caps both lists', async () => {
    await s.admin.patch(`/flags/${KEY}`, { state: 'rollout', pct: 40 }).expect(200);
    const on = inRollout(40);
    const kill = await preview({ state: 'off', pct: 0 });
    expect(kill).toMatchObject({ before: on.length, after: 0, gainedCount: 0, lostCount: on.length, gained: [] });
    expect(kill.lost).toEqual(on.slice(0, 100));
    const pages: string[] = [];
    for (let offset = 0; offset < on.length; offset += 50) {
      const page = await preview({ state: 'off' }, `?list=lost&offset=${offset}&limit=50`);
      expect(page.gained).toEqual([]);
      pages.push(...page.lost);
    }
    expect(pages).toEqual(on);
    // pct 40 -> everyone on: gains the rest, loses nobody; limit=5 applies to both lists.
    const all = await preview({ state: 'on' }, '?limit=5');
    expect(all).toMatchObject({ before: on.length, after: TENANTS, gainedCount: TENANTS - on.length, lostCount: 0, lost: [] });
    expect(all.gained).toEqual(sorted(tenants.map((t) => t.slug)).filter((slug) => !on.includes(slug)).slice(0, 5));
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=2.5', 'limit'],
    ['?limit=', 'limit'],
    ['?offset=-1', 'offset'],
    ['?offset=1e3', 'offset'],
    ['?offset=first', 'offset'],
    ['?limit=5&limit=6', 'limit'],
    ['?list=both', 'list'],
    ['?list=gained&offset=-5', 'offset'],
    ['?offset=10000001', 'offset'],
  ])('refuses %s with a 400 naming %s', async (query, name) => {
    const res = await s.admin.post(`/flags/${KEY}/impact${query}`, { pct: 50 });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([expect.stringMatching(new RegExp(`^${name} must `))]);
  });
});

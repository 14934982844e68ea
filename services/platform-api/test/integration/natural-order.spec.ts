import type { Connection } from 'mongoose';
import { prepareDatabase, type PreparedDatabase } from '../support/app';
import { startSession, type Caller, type Session } from '../support/session';

/**
 * GET /tenants and GET /partners list by slug in natural order (t2 before t10), page by page with
 * nothing skipped or repeated, for documents the API wrote and for ones stored before it kept a
 * sort key (filled in at boot).
 */
describe('lists in natural slug order', () => {
  let prepared: PreparedDatabase;
  let db: Connection;
  let s: Session;

  // In the order the lists must answer them: `nat-01` and `nat-1` name the same number and are
  // told apart by their slugs; `nat-3` and `reseller-3` were stored before the sort key existed.
  const ORDER = ['0', '01', '1', '1-9', '1-10', '2', '3', '10', '11'];
  const STORED_BEFORE = '3';
  const at = new Date('2025-03-01T10:00:00Z');

  beforeAll(async () => {
    prepared = await prepareDatabase('natural');
    db = prepared.db;
    await db.collection('tenants').insertOne({ slug: `nat-${STORED_BEFORE}`, name: 'Stored before', plan: 'starter', status: 'active', provisioning: {}, createdAt: at, updatedAt: at });
    await db.collection('partners').insertOne({
      slug: `reseller-${STORED_BEFORE}`,
      name: 'Stored before',
      domain: 'reseller-3.example',
      status: 'active',
      marginPct: 10,
      contactInfo: {},
      billingInfo: {},
      createdAt: at,
      updatedAt: at,
    });
    s = await startSession({ MONGO_DB_NAME: prepared.name });
    // Created out of order, so neither insertion order nor code-point order is the answer.
    for (const n of [...ORDER].reverse().filter((n) => n !== STORED_BEFORE)) {
      expect((await s.alice.post('/tenants', { slug: `nat-${n}`, name: `Nat ${n}`, plan: 'starter' })).status).toBe(201);
      expect((await s.admin.post('/partners', { slug: `reseller-${n}`, name: `Reseller ${n}`, domain: `reseller-${n}.example`, marginPct: 10 })).status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await prepared?.drop();
  });

  /** Every page of `path` two at a time: the slugs in order, and each page's total and size. */
  async function pageThrough(who: Caller, path: string): Promise<{ slugs: string[]; pages: [number, number][] }> {
    const slugs: string[] = [];
    const pages: [number, number][] = [];
    for (let offset = 0; offset < 20; offset += 2) {
      const res = await who.get(`${path}&limit=2&offset=${offset}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ limit: 2, offset });
      if (!res.body.items.length) break;
      slugs.push(...res.body.items.map((i: { slug: string }) => i.slug));
      pages.push([res.body.total, res.body.items.length]);
    }
    return { slugs, pages };
  }

  const expectedPages = (): [number, number][] => [[9, 2], [9, 2], [9, 2], [9, 2], [9, 1]];

  it('lists tenants in natural order, to operators and to their members alike', async () => {
    const expected = ORDER.map((n) => `nat-${n}`);
    expect(await pageThrough(s.admin, '/tenants?search=nat-')).toEqual({ slugs: expected, pages: expectedPages() });
    // Alice owns all but the tenant stored before, which has no members.
    const own = await pageThrough(s.alice, '/tenants?search=nat-');
    expect(own.slugs).toEqual(expected.filter((slug) => slug !== `nat-${STORED_BEFORE}`));
  });

  it('lists partners in natural order', async () => {
    expect(await pageThrough(s.admin, '/partners?search=reseller-')).toEqual({ slugs: ORDER.map((n) => `reseller-${n}`), pages: expectedPages() });
  });

  it('gives documents stored before the sort key theirs at boot', async () => {
    expect((await db.collection('tenants').findOne({ slug: `nat-${STORED_BEFORE}` }))?.slugOrder).toBe('nat-013');
    expect((await db.collection('partners').findOne({ slug: `reseller-${STORED_BEFORE}` }))?.slugOrder).toBe('reseller-013');
    expect((await db.collection('tenants').findOne({ slug: 'nat-1-10' }))?.slugOrder).toBe('nat-011-0210');
  });
});

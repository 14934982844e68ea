import mongoose, { Schema, type Connection } from 'mongoose';
import { inject } from 'vitest';
import { freshDbName } from '../support/app';

/**
 * Every MongoDB operation this project relies on, asserted against MongoDB's documented
 * behaviour. The suite runs on the test server (mongo-java-server) by default and on a real
 * mongod when MONGO_URL is set: a divergence of the test server shows up here, as a failure.
 */
describe('MongoDB operations the platform relies on', () => {
  let conn: Connection;
  let second: Connection;
  const dbName = freshDbName('compat');

  beforeAll(async () => {
    conn = await mongoose.createConnection(inject('mongoUrl'), { dbName }).asPromise();
    second = await mongoose.createConnection(inject('mongoUrl'), { dbName }).asPromise();
  });
  /** Models with their collection and indexes created, as the application does at boot. */
  async function ready<M extends { init(): Promise<unknown> }>(m: M): Promise<M> {
    await m.init();
    return m;
  }

  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
    await second.close();
  });

  it('a unique index rejects duplicates with code 11000', async () => {
    const M = await ready(conn.model('UniqueThing', new Schema({ slug: { type: String, unique: true } })));
    await M.create({ slug: 'acme' });
    const err = await M.create({ slug: 'acme' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000 });
    expect(await M.countDocuments()).toBe(1);
  });

  it('a sparse unique index ignores documents without the field but rejects duplicates with it', async () => {
    const M = await ready(conn.model('SparseThing', new Schema({ name: String, ref: { type: String, index: { unique: true, sparse: true } } })));
    await M.create([{ name: 'a' }, { name: 'b' }]);
    await M.create({ name: 'c', ref: 'r1' });
    const err = await M.create({ name: 'd', ref: 'r1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000 });
    expect(await M.countDocuments()).toBe(3);
    expect(await M.countDocuments({ ref: mongoose.trusted({ $exists: false }) })).toBe(2);
  });

  it('findOneAndUpdate with upsert and $setOnInsert inserts once and changes nothing the second time', async () => {
    const M = await ready(conn.model('Seeded', new Schema({ key: { type: String, unique: true }, state: String })));
    const first = await M.findOneAndUpdate({ key: 'k' }, { $setOnInsert: { key: 'k', state: 'off' } }, { upsert: true, new: true }).lean();
    expect(first?.state).toBe('off');
    await M.updateOne({ key: 'k' }, { $set: { state: 'on' } });
    const again = await M.findOneAndUpdate({ key: 'k' }, { $setOnInsert: { key: 'k', state: 'off' } }, { upsert: true, new: true }).lean();
    expect(again?.state).toBe('on');
    expect(await M.countDocuments()).toBe(1);
  });

  it('findOneAndUpdate $inc answers each of many concurrent callers with its own value (how the change log numbers entries)', async () => {
    const counters = conn.collection<{ _id: string; value: number }>('counter_probe');
    const values: number[] = [];
    await Promise.all(
      [conn, second, conn, second].map(async (c) => {
        for (let i = 0; i < 50; i++) {
          const doc = await c.collection<{ _id: string; value: number }>(counters.collectionName).findOneAndUpdate({ _id: 'probe' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
          values.push(doc!.value);
        }
      }),
    );
    expect(values.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('$push with $each, $position 0 and $slice keeps the newest N first', async () => {
    const M = await ready(conn.model('Capped', new Schema({ items: [Number] })));
    const doc = await M.create({ items: [] });
    for (let i = 1; i <= 25; i++) {
      await M.updateOne({ _id: doc._id }, { $push: { items: { $each: [i], $position: 0, $slice: 20 } } });
    }
    const after = await M.findById(doc._id).lean();
    expect(after?.items).toHaveLength(20);
    expect(after?.items[0]).toBe(25);
    expect(after?.items[19]).toBe(6);
  });

  it('$set and $unset: an unset field is gone, not null', async () => {
    const M = await ready(conn.model('Unsettable', new Schema({ a: String, b: String })));
    const doc = await M.create({ a: 'x', b: 'y' });
    await M.updateOne({ _id: doc._id }, { $set: { a: 'z' }, $unset: { b: 1 } });
    const raw = await conn.db!.collection('unsettables').findOne({ _id: doc._id });
    expect(raw).toMatchObject({ a: 'z' });
    expect(raw).not.toHaveProperty('b');
  });

  it('a version-conditioned update applies once: the second writer with the same version misses', async () => {
    const M = await ready(conn.model('Versioned', new Schema({ v: Number, value: String })));
    const doc = await M.create({ v: 1, value: 'a' });
    const r1 = await M.updateOne({ _id: doc._id, v: 1 }, { $set: { value: 'b' }, $inc: { v: 1 } });
    const r2 = await M.updateOne({ _id: doc._id, v: 1 }, { $set: { value: 'c' }, $inc: { v: 1 } });
    expect(r1.modifiedCount).toBe(1);
    expect(r2.matchedCount).toBe(0);
    expect(await M.findById(doc._id).lean()).toMatchObject({ v: 2, value: 'b' });
  });

  it('a sparse unique index on an array refuses an element another document holds, also from two writers at once', async () => {
    const M = await ready(conn.model('Claims', new Schema({ name: String, held: { type: [String], default: undefined } }).index({ held: 1 }, { unique: true, sparse: true })));
    const [a, b, c] = await M.create([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    await M.updateOne({ _id: a!._id }, { $set: { held: ['x.eu', 'y.eu'] } });
    expect(await M.updateOne({ _id: b!._id }, { $set: { held: ['z.eu', 'y.eu'] } }).catch((e: unknown) => e)).toMatchObject({ code: 11000 });
    const race = await Promise.allSettled([M.updateOne({ _id: b!._id }, { $set: { held: ['w.eu'] } }), M.updateOne({ _id: c!._id }, { $set: { held: ['w.eu'] } })]);
    expect(race.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await M.countDocuments({ held: 'w.eu' })).toBe(1);
    expect(await M.countDocuments({ held: mongoose.trusted({ $exists: false }) })).toBe(1);
  });

  it('$in with null matches a missing field; $type string matches an array holding a string', async () => {
    const M = await ready(conn.model('Revisioned', new Schema({ rev: Number, list: [Schema.Types.Mixed] })));
    await M.collection.insertMany([{ list: ['a', 'b'] }, { rev: 0, list: [{ name: 'a' }] }, { rev: 2 }]);
    expect(await M.countDocuments({ rev: mongoose.trusted({ $in: [0, null] }) })).toBe(2);
    expect(await M.collection.countDocuments({ list: { $type: 'string' } })).toBe(1);
    expect(await M.collection.countDocuments({ list: ['a', 'b'] })).toBe(1);
  });

  it('aggregate with $match, $group ($sum) and $lookup', async () => {
    const P = await ready(conn.model('AggPartner', new Schema({ slug: String }), 'aggpartners'));
    const T = await ready(conn.model('AggTenant', new Schema({ partnerId: Schema.Types.ObjectId, price: Number, active: Boolean }), 'aggtenants'));
    const [p1, p2] = await P.create([{ slug: 'p1' }, { slug: 'p2' }]);
    await T.create([
      { partnerId: p1!._id, price: 100, active: true },
      { partnerId: p1!._id, price: 250, active: true },
      { partnerId: p1!._id, price: 999, active: false },
      { partnerId: p2!._id, price: 40, active: true },
      { price: 5, active: true },
    ]);
    const grouped = await T.aggregate<{ _id: mongoose.Types.ObjectId; customers: number; mrr: number }>([
      { $match: { active: true, partnerId: { $exists: true } } },
      { $group: { _id: '$partnerId', customers: { $sum: 1 }, mrr: { $sum: '$price' } } },
      { $sort: { mrr: -1 } },
    ]);
    expect(grouped.map((g) => [String(g._id), g.customers, g.mrr])).toEqual([
      [String(p1!._id), 2, 350],
      [String(p2!._id), 1, 40],
    ]);
    const joined = await P.aggregate<{ slug: string; tenants: unknown[] }>([
      { $lookup: { from: 'aggtenants', localField: '_id', foreignField: 'partnerId', as: 'tenants' } },
      { $sort: { slug: 1 } },
    ]);
    expect(joined.map((j) => [j.slug, j.tenants.length])).toEqual([
      ['p1', 3],
      ['p2', 1],
    ]);
  });

  it('countDocuments with a filter', async () => {
    const M = await ready(conn.model('Counted', new Schema({ status: String })));
    await M.create([{ status: 'active' }, { status: 'active' }, { status: 'suspended' }]);
    expect(await M.countDocuments({ status: 'active' })).toBe(2);
    expect(await M.countDocuments({})).toBe(3);
  });

  it('sanitizeFilter turns an injected operator into a failed cast, never a match', async () => {
    const M = await ready(conn.model('Sanitized', new Schema({ owner: String })));
    await M.create([{ owner: 'alice' }, { owner: 'bob' }]);
    const injected = { $ne: 'nobody' } as unknown as string;
    const err = await M.find({ owner: injected }).setOptions({ sanitizeFilter: true }).lean().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(mongoose.Error.CastError);
    const trusted = await M.find({ owner: mongoose.trusted({ $ne: 'nobody' }) }).setOptions({ sanitizeFilter: true }).lean();
    expect(trusted).toHaveLength(2);
  });

  it('a change written on one connection is seen by a second connection', async () => {
    const A = await ready(conn.model('Shared', new Schema({ n: Number }), 'shared'));
    const B = await ready(second.model('Shared', new Schema({ n: Number }), 'shared'));
    const doc = await A.create({ n: 1 });
    await A.updateOne({ _id: doc._id }, { $inc: { n: 41 } });
    expect((await B.findById(doc._id).lean())?.n).toBe(42);
  });
});

// Test data written straight into the API's database, for what the API has no route for at that
// scale (100,000 tenants at once, as an import would). Documents take the names and shapes the
// API defines: its collection names, counter, version key and slug sort key come from the built
// API itself.
import { createRequire } from 'node:module';
import { API_MAIN } from './paths.js';

/** The part of a MongoDB database (the driver's `Db`, or mongoose's `connection.db`) seeding uses. */
export interface SeedDatabase {
  collection(name: string): {
    insertMany(docs: object[], options?: { ordered?: boolean }): Promise<unknown>;
    insertOne(doc: object): Promise<unknown>;
    findOneAndUpdate(filter: object, update: object, options: { upsert: boolean; returnDocument: 'after' }): Promise<unknown>;
  };
}

export interface TenantSeed {
  /** The tenant's id (24 hex digits); a new one when omitted. */
  id?: string;
  slug: string;
  name?: string;
  plan: string;
  /** The id of the partner the tenant belongs to. */
  partnerId?: string;
}

interface ApiNames {
  tenants: string;
  changes: string;
  revisions: string;
  changesCounter: string;
  versionKey: string;
  /** The field and value of a slug's natural sort key (the API's common/mongo/natural-order). */
  slugOrder: (slug: string) => Record<string, string>;
  objectId: (id?: string) => object;
}

let names: ApiNames | undefined;

/** The API's own names, read from its build (services/platform-api/dist) once. */
function apiNames(): ApiNames {
  if (names) return names;
  const api = createRequire(API_MAIN);
  const tenant = api('./modules/tenants/tenant.schema.js') as { TENANTS_COLLECTION: string; TenantSchema: { get(option: 'versionKey'): string } };
  const change = api('./modules/changes/change.schema.js') as { CHANGES_COLLECTION: string };
  const revision = api('./modules/changes/revision.schema.js') as { REVISIONS_COLLECTION: string; CHANGES_COUNTER_ID: string };
  const order = api('./common/mongo/natural-order.js') as { SLUG_ORDER_FIELD: string; slugOrderKey: (slug: string) => string };
  const { Types } = api('mongoose') as { Types: { ObjectId: new (id?: string) => object } };
  names = {
    tenants: tenant.TENANTS_COLLECTION,
    changes: change.CHANGES_COLLECTION,
    revisions: revision.REVISIONS_COLLECTION,
    changesCounter: revision.CHANGES_COUNTER_ID,
    versionKey: tenant.TenantSchema.get('versionKey'),
    slugOrder: (slug) => ({ [order.SLUG_ORDER_FIELD]: order.slugOrderKey(slug) }),
    objectId: (id) => new Types.ObjectId(id),
  };
  return names;
}

/**
 * Inserts active tenants as the API stores them, in batches with `concurrency` batches in
 * flight. The API's processes see them after `announceBulkLoad`.
 */
export async function insertTenants(
  db: SeedDatabase,
  tenants: readonly TenantSeed[],
  { batch = 5000, concurrency = 4 }: { batch?: number; concurrency?: number } = {},
): Promise<void> {
  const api = apiNames();
  const collection = db.collection(api.tenants);
  const now = new Date();
  const toDoc = (t: TenantSeed) => ({
    _id: api.objectId(t.id),
    slug: t.slug,
    ...api.slugOrder(t.slug),
    name: t.name ?? t.slug,
    plan: t.plan,
    status: 'active',
    provisioning: {},
    ...(t.partnerId ? { partnerId: api.objectId(t.partnerId) } : {}),
    createdAt: now,
    updatedAt: now,
    [api.versionKey]: 0,
  });
  let next = 0;
  const inserter = async () => {
    while (next < tenants.length) {
      const start = next;
      next += batch;
      await collection.insertMany(tenants.slice(start, start + batch).map(toDoc), { ordered: false });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, inserter));
}

/**
 * Announces a bulk load as the API's own writes do: numbers a change from the change log's
 * counter and appends an `all` entry, so every API process reloads its read models.
 */
export async function announceBulkLoad(db: SeedDatabase, ref: string): Promise<void> {
  const api = apiNames();
  const counter = (await db
    .collection(api.revisions)
    .findOneAndUpdate({ _id: api.changesCounter }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' })) as { value: number } | null;
  await db.collection(api.changes).insertOne({ seq: counter?.value, kind: 'all', ref, at: new Date() });
}

import type { Model, Types } from 'mongoose';

/**
 * Tenants and partners are listed in the natural order of their slugs: `t1, t2, t10, t11`, not
 * `t1, t10, t11, t2`.
 *
 * MongoDB sorts that way with a collation (`{ locale: 'en', numericOrdering: true }`), but
 * mongo-java-server (1.47), the MongoDB-wire server of development and tests, accepts a collation
 * and ignores it: asked for `t1, t2, t10, t11` sorted with that collation, it answers
 * `t1, t10, t11, t2`, by code point. So each
 * document stores a sort key of its slug, `slugOrder`, whose code-point order is the slug's natural
 * order, and lists sort by it on both servers, with the same index. In the key every run of digits
 * becomes its length in two digits (slugs have at most 40 characters) followed by the digits
 * without leading zeros: a longer number sorts after a shorter one and numbers of one length
 * compare digit by digit; letters and hyphens stay as they are. Lists sort by `slugOrder`, then
 * by `slug`: slugs are unique, so the order is total and paging exact and stable even where two
 * slugs share a key (`t1` and `t01`).
 *
 * A slug never changes, so the key is written once, with the slug, when the document is created;
 * documents stored before the key existed get theirs at boot (`backfillSlugOrder`).
 */
export const SLUG_ORDER_FIELD = 'slugOrder';

/** The sort of a list in natural slug order. */
export const NATURAL_SLUG_ORDER = { [SLUG_ORDER_FIELD]: 1, slug: 1 } as const;

export function slugOrderKey(slug: string): string {
  return slug.replace(/\d+/g, (digits) => {
    const number = digits.replace(/^0+(?=\d)/, '');
    return `${String(number.length).padStart(2, '0')}${number}`;
  });
}

/**
 * Writes the key of every document of `model` stored without one, once its indexes exist; returns
 * how many it wrote. Idempotent, and safe while another replica runs it (each write is
 * conditioned on the key still missing, and both would write the same key).
 */
export async function backfillSlugOrder<T>(model: Model<T>): Promise<number> {
  await model.init();
  const { collection } = model;
  const missing = { [SLUG_ORDER_FIELD]: { $exists: false } };
  const docs = await collection.find<{ _id: Types.ObjectId; slug: string }>(missing, { projection: { slug: 1 } }).toArray();
  if (!docs.length) return 0;
  await collection.bulkWrite(
    docs.map((doc) => ({ updateOne: { filter: { _id: doc._id, ...missing }, update: { $set: { [SLUG_ORDER_FIELD]: slugOrderKey(doc.slug) } } } })),
    { ordered: false },
  );
  return docs.length;
}

import mongoose, { type Model, type UpdateQuery } from 'mongoose';
import { isObjectIdHex, type Lean } from './to-plain';

/** One page of a list and how many match in all, as every list route answers it. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * What every repository does with its one collection: read lean documents and map each to the
 * plain object the API works with. Query operators in a filter pass MongoDB's sanitizer only
 * wrapped in `mongoose.trusted`, as everywhere; a list's filter (`page`) is trusted whole, since
 * the repository builds it from validated values (searchFilter's `$or` included).
 */
export abstract class Repository<Doc, Out> {
  protected constructor(
    protected readonly model: Model<Doc>,
    private readonly toPlain: (doc: Lean<Doc>) => Out,
  ) {}

  protected async one(filter: Record<string, unknown>): Promise<Out | null> {
    const doc = await this.model.findOne(filter).lean<Lean<Doc>>();
    return doc ? this.toPlain(doc) : null;
  }

  protected async many(filter: Record<string, unknown>, sort?: Record<string, 1 | -1>): Promise<Out[]> {
    const query = this.model.find(filter);
    const docs = await (sort ? query.sort(sort) : query).lean<Lean<Doc>[]>();
    return docs.map(this.toPlain);
  }

  /** The documents matching `filter` in `sort` order, `limit` of them from `offset`, and their count. */
  protected async page(filter: Record<string, unknown>, sort: Record<string, 1 | -1>, q: { limit: number; offset: number }): Promise<Page<Out>> {
    const trusted = mongoose.trusted(filter);
    const [docs, total] = await Promise.all([
      this.model.find(trusted).sort(sort).skip(q.offset).limit(q.limit).lean<Lean<Doc>[]>(),
      this.model.countDocuments(trusted),
    ]);
    return { items: docs.map(this.toPlain), total };
  }

  /** Applies `update` to the first document matching `filter`; the document as it is after, or null when none matched. */
  protected async updated(filter: Record<string, unknown>, update: Record<string, unknown>): Promise<Out | null> {
    const doc = await this.model.findOneAndUpdate(filter, update as UpdateQuery<Doc>, { new: true }).lean<Lean<Doc>>();
    return doc ? this.toPlain(doc) : null;
  }

  /** The created document, as every other read maps it. */
  protected async created(fields: Record<string, unknown>): Promise<Out> {
    const doc = await this.model.create(fields);
    return this.toPlain(doc.toObject() as Lean<Doc>);
  }

  async findById(id: string): Promise<Out | null> {
    return isObjectIdHex(id) ? this.one({ _id: new mongoose.Types.ObjectId(id) }) : null;
  }

  async findByIds(ids: string[]): Promise<Out[]> {
    return this.many({ _id: mongoose.trusted({ $in: ids.filter(isObjectIdHex).map((id) => new mongoose.Types.ObjectId(id)) }) });
  }
}

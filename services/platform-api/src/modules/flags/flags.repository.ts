import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Flag as FlagDto, FlagHistoryEntry, FlagScope } from '@dezky/contracts';
import mongoose, { Model } from 'mongoose';
import { Repository } from '../../common/mongo/repository';
import { idOf, timestampsOf, type Lean } from '../../common/mongo/to-plain';
import { newFlagEtag } from './flag-etag';
import { Flag, FLAG_HISTORY_LIMIT, type FlagHistoryEntry as FlagHistoryDoc } from './flag.schema';

function toDto(doc: Lean<Flag>): FlagDto {
  return {
    id: idOf(doc),
    key: doc.key,
    description: doc.description,
    state: doc.state,
    pct: doc.pct,
    scope: {
      plans: [...(doc.scope?.plans ?? [])],
      tenantSlugs: [...(doc.scope?.tenantSlugs ?? [])],
      partnerSlugs: [...(doc.scope?.partnerSlugs ?? [])],
      environments: [...(doc.scope?.environments ?? [])],
    } as FlagScope,
    protected: doc.protected === true,
    version: doc.version,
    etag: doc.etag,
    history: (doc.history ?? []).map(
      (h: FlagHistoryDoc): FlagHistoryEntry => ({ at: new Date(h.at).toISOString(), actor: h.actor, changes: h.changes, ...(h.approval ? { approval: h.approval } : {}) }),
    ),
    ...timestampsOf(doc),
  };
}

export interface FlagSeed {
  key: string;
  description: string;
}

@Injectable()
export class FlagsRepository extends Repository<Flag, FlagDto> {
  constructor(@InjectModel(Flag.name) flags: Model<Flag>) {
    super(flags, toDto);
  }

  all(): Promise<FlagDto[]> {
    return this.many({}, { key: 1 });
  }

  findByKeys(keys: string[]): Promise<FlagDto[]> {
    return this.many({ key: mongoose.trusted({ $in: keys }) });
  }

  findByKey(key: string): Promise<FlagDto | null> {
    return this.one({ key });
  }

  create(key: string, description: string, entry: { at: Date; actor: string; changes: FlagHistoryEntry['changes'] }): Promise<FlagDto> {
    return this.created({ key, description, state: 'off', pct: 0, scope: {}, protected: false, version: 1, etag: newFlagEtag(1), history: [entry] });
  }

  /**
   * Applies a change only if the flag is still as `current` was read, that is still has its
   * entity tag (optimistic concurrency: of two writers holding the same read exactly one
   * succeeds). Returns null when it was not. The write gets the next version and a new tag.
   * The history keeps the newest FLAG_HISTORY_LIMIT entries, newest first.
   */
  async updateIfUnchanged(
    current: Pick<FlagDto, 'key' | 'version' | 'etag'>,
    set: Record<string, unknown>,
    entry: { at: Date; actor: string; changes: FlagHistoryEntry['changes']; approval?: FlagHistoryEntry['approval'] },
  ): Promise<FlagDto | null> {
    const version = current.version + 1;
    return this.updated(
      { key: current.key, etag: current.etag },
      { $set: { ...set, version, etag: newFlagEtag(version) }, $push: { history: { $each: [entry], $position: 0, $slice: FLAG_HISTORY_LIMIT } } },
    );
  }

  /** Deletes the flag; with an entity tag, only if the flag still has it. */
  async delete(key: string, etag?: string): Promise<boolean> {
    const res = await this.model.deleteOne(etag === undefined ? { key } : { key, etag });
    return res.deletedCount === 1;
  }

  /**
   * Gives an entity tag to each flag stored before flags had one, so conditional requests can
   * name it; whichever process gets there first tags a flag. Returns the keys it tagged.
   */
  async tagUntagged(): Promise<string[]> {
    const untagged = mongoose.trusted({ $exists: false });
    const docs = await this.model.find({ etag: untagged }, { key: 1, version: 1 }).lean<Pick<Flag, 'key' | 'version'>[]>();
    const tagged: string[] = [];
    for (const doc of docs) {
      const res = await this.model.updateOne({ key: doc.key, etag: untagged }, { $set: { etag: newFlagEtag(doc.version) } }, { timestamps: false });
      if (res.modifiedCount === 1) tagged.push(doc.key);
    }
    return tagged;
  }

  /** Inserts the missing seeds and leaves existing flags exactly as operators left them. */
  async seed(seeds: FlagSeed[]): Promise<number> {
    // The unique index on key must exist before upserting, or a concurrent boot could double a seed.
    await this.model.init();
    const now = new Date();
    const res = await this.model.bulkWrite(
      seeds.map((s) => ({
        updateOne: {
          filter: { key: s.key },
          update: {
            $setOnInsert: {
              key: s.key,
              description: s.description,
              state: 'off',
              pct: 0,
              scope: { plans: [], tenantSlugs: [], partnerSlugs: [], environments: [] },
              protected: false,
              version: 1,
              etag: newFlagEtag(1),
              history: [{ at: now, actor: 'system', changes: { created: { from: null, to: s.key } } }],
              createdAt: now,
              updatedAt: now,
            },
          },
          upsert: true,
        },
      })),
      // Timestamps come from $setOnInsert: an existing flag must not look changed by a restart.
      { ordered: false, timestamps: false },
    );
    return res.upsertedCount;
  }
}

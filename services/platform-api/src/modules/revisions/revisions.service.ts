import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Revision } from './revision.schema';

/** The one revision counter flag evaluation watches: flags, tenants' plans and partners. */
export const EVALUATION_REVISION = 'evaluation';

type Listener = () => void;

@Injectable()
export class RevisionsService {
  private readonly listeners = new Set<Listener>();

  constructor(@InjectModel(Revision.name) private readonly revisions: Model<Revision>) {}

  /** Marks a change that evaluation depends on, here and (through the counter) in other processes. */
  async bump(id = EVALUATION_REVISION): Promise<number> {
    const doc = await this.revisions.findOneAndUpdate({ _id: id }, { $inc: { value: 1 } }, { upsert: true, new: true }).lean();
    for (const listener of this.listeners) listener();
    return doc!.value;
  }

  async current(id = EVALUATION_REVISION): Promise<number> {
    const doc = await this.revisions.findById(id).lean();
    return doc?.value ?? 0;
  }

  /** Called after every local bump, so this process does not wait for its next poll. */
  onBump(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

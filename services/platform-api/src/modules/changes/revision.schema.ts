import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const REVISIONS_COLLECTION = 'revisions';
/** The counter that numbers the change log (see ChangeFeed). */
export const CHANGES_COUNTER_ID = 'changes';

/** Counters; `changes` numbers the change log (see ChangeFeed). */
@Schema({ collection: REVISIONS_COLLECTION, versionKey: false, strict: 'throw' })
export class Revision {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, default: 0 }) value!: number;
}

export const RevisionSchema = SchemaFactory.createForClass(Revision);

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Counters; `changes` numbers the change log (see ChangeFeed). */
@Schema({ collection: 'revisions', versionKey: false, strict: 'throw' })
export class Revision {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, default: 0 }) value!: number;
}

export const RevisionSchema = SchemaFactory.createForClass(Revision);

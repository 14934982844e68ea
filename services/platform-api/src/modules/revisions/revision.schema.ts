import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Counters that say "something evaluation depends on changed". Every API process polls them
 * and rebuilds its in-memory snapshot when one moves, so processes sharing a database converge.
 */
@Schema({ collection: 'revisions', versionKey: false, strict: 'throw' })
export class Revision {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, default: 0 }) value!: number;
}

export const RevisionSchema = SchemaFactory.createForClass(Revision);

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Evaluations of one flag on one UTC day, summed over every API process: each adds what it
 * counted with $inc every few seconds, so processes never overwrite each other.
 */
@Schema({ collection: 'flag_usage', versionKey: false, strict: 'throw' })
export class FlagUsageDay {
  /** `<flag key>:<day>`, so each process's addition is one upsert by _id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) key!: string;
  /** Days since 1970-01-01 (UTC). */
  @Prop({ required: true }) day!: number;
  @Prop({ required: true, default: 0 }) count!: number;
  /** The last evaluation of that day. */
  @Prop({ required: true }) lastAt!: Date;
}
export const FlagUsageDaySchema = SchemaFactory.createForClass(FlagUsageDay);
// Serves the usage of every flag over the recent days (day >= first day shown).
FlagUsageDaySchema.index({ day: 1 });

/** An operator's "keep" on a flag: never reported potentially stale. */
@Schema({ collection: 'flag_keeps', versionKey: false, strict: 'throw' })
export class FlagKeep {
  @Prop({ required: true }) key!: string;
  /** The operator's email. */
  @Prop({ required: true }) by!: string;
  @Prop({ required: true }) at!: Date;
}
export const FlagKeepSchema = SchemaFactory.createForClass(FlagKeep);
// Serves the lookup by flag key (keep, unkeep); unique, one keep per flag.
FlagKeepSchema.index({ key: 1 }, { unique: true });

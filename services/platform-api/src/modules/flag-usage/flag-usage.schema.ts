import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Evaluations of one flag on one UTC day counted by one API process since it started: each
 * process writes its running total (with $max), so a write repeated after an unclear failure
 * counts nothing twice, and processes never overwrite each other. A day's count is the sum over
 * its processes.
 */
@Schema({ collection: 'flag_usage', versionKey: false, strict: 'throw' })
export class FlagUsageDay {
  /** `<flag key>:<day>:<process>`, so each process's write is one upsert by _id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) key!: string;
  /** Days since 1970-01-01 (UTC). */
  @Prop({ required: true }) day!: number;
  /** The process that counted them (random per start). */
  @Prop({ required: true }) process!: string;
  @Prop({ required: true, default: 0 }) count!: number;
  /** The last evaluation of that day. */
  @Prop({ required: true }) lastAt!: Date;
}
export const FlagUsageDaySchema = SchemaFactory.createForClass(FlagUsageDay);
// Serves the usage of every flag over the recent days (day >= first day shown), and pruning old days.
FlagUsageDaySchema.index({ day: 1 });

/** The last evaluation of a flag any process counted, however long ago. */
@Schema({ collection: 'flag_last_evaluated', versionKey: false, strict: 'throw' })
export class FlagLastEvaluated {
  /** The flag's key. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) lastAt!: Date;
}
export const FlagLastEvaluatedSchema = SchemaFactory.createForClass(FlagLastEvaluated);

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

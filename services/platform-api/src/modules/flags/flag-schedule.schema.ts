import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FLAG_STATES, SCHEDULE_STATUSES, type FlagState, type ScheduleStatus } from '@dezky/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

@Schema({ _id: false })
export class FlagScheduleStepEntry {
  @Prop({ required: true }) at!: Date;
  @Prop({ type: String, enum: FLAG_STATES }) state?: FlagState;
  @Prop({ min: 0, max: 100 }) pct?: number;
  @Prop({ type: Date, default: null }) executedAt!: Date | null;
  @Prop({ type: Number, default: null }) version!: number | null;
}
export const FlagScheduleStepSchema = SchemaFactory.createForClass(FlagScheduleStepEntry);

@Schema({ _id: false })
export class FlagScheduleClaim {
  /** The process applying the step (random per process). */
  @Prop({ required: true }) by!: string;
  /** Past this, another process may claim the step: the one holding it is taken for dead. */
  @Prop({ required: true }) until!: Date;
}
export const FlagScheduleClaimSchema = SchemaFactory.createForClass(FlagScheduleClaim);

/** A flag's planned ramp: one document per flag, replaced by a new plan, kept once done or cancelled. */
@Schema({ collection: 'flag_schedules', timestamps: true, strict: 'throw', versionKey: false })
export class FlagSchedule {
  @Prop({ required: true }) key!: string;
  @Prop({ type: String, enum: SCHEDULE_STATUSES, required: true }) status!: ScheduleStatus;
  @Prop({ type: [FlagScheduleStepSchema], default: [] }) steps!: FlagScheduleStepEntry[];
  /** Index of the next step to apply (steps.length once done). */
  @Prop({ required: true, default: 0 }) next!: number;
  /** The time of the next step while active, else null: what the scheduler looks for. */
  @Prop({ type: Date, default: null }) nextAt!: Date | null;
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) plannedById!: Types.ObjectId;
  @Prop({ required: true }) plannedBy!: string;
  @Prop({ required: true }) plannedAt!: Date;
  @Prop({ required: true }) baseVersion!: number;
  @Prop({ required: true }) expectedVersion!: number;
  @Prop({ type: String, default: null }) reason!: string | null;
  /** +1 on every write of the plan; a step's bookkeeping applies only to the plan it claimed. */
  @Prop({ required: true, default: 1 }) revision!: number;
  @Prop({ type: FlagScheduleClaimSchema, default: null }) claim!: FlagScheduleClaim | null;
}

export const FlagScheduleSchema = SchemaFactory.createForClass(FlagSchedule);
// Serves every lookup of a flag's plan by key; one plan per flag.
FlagScheduleSchema.index({ key: 1 }, { unique: true });
// Serves the scheduler's tick: active plans whose next step is due (status, nextAt <= now).
FlagScheduleSchema.index({ status: 1, nextAt: 1 });

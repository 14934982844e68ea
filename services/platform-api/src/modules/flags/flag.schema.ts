import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FLAG_STATES, type FlagApproval, type FlagState } from '@dezky/contracts';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({ _id: false })
export class FlagScopeEntry {
  @Prop({ type: [String], default: [] }) plans!: string[];
  @Prop({ type: [String], default: [] }) tenantSlugs!: string[];
  @Prop({ type: [String], default: [] }) partnerSlugs!: string[];
  @Prop({ type: [String], default: [] }) environments!: string[];
}
export const FlagScopeSchema = SchemaFactory.createForClass(FlagScopeEntry);

@Schema({ _id: false })
export class FlagHistoryEntry {
  @Prop({ required: true }) at!: Date;
  /** The actor's email. */
  @Prop({ required: true }) actor!: string;
  /** `{ field: { from, to } }` for each field that changed. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) changes!: Record<string, { from: unknown; to: unknown }>;
  /** On a protected flag: how the change got past approval (FlagApproval). */
  @Prop({ type: MongooseSchema.Types.Mixed }) approval?: FlagApproval;
}
export const FlagHistorySchema = SchemaFactory.createForClass(FlagHistoryEntry);

export const FLAG_HISTORY_LIMIT = 20;

@Schema({ collection: 'flags', timestamps: true, strict: 'throw', versionKey: false })
export class Flag {
  @Prop({ required: true }) key!: string;
  @Prop({ default: '' }) description!: string;
  @Prop({ type: String, enum: FLAG_STATES, default: 'off' }) state!: FlagState;
  @Prop({ required: true, default: 0, min: 0, max: 100 }) pct!: number;
  @Prop({ type: FlagScopeSchema, default: () => ({}) }) scope!: FlagScopeEntry;
  /** Changes other than the kill switch need an approved change request; flags stored before have none (false). */
  @Prop({ default: false }) protected!: boolean;
  /** +1 on every change, for people to read; conditional requests use `etag`. */
  @Prop({ required: true, default: 1 }) version!: number;
  /**
   * The flag's entity tag (ETag header, If-Match), new on every write: see newFlagEtag. A
   * version alone could name two contents, if the store lost a write and the number came again.
   */
  @Prop({ required: true }) etag!: string;
  /** Newest first, at most FLAG_HISTORY_LIMIT entries; the audit log keeps everything. */
  @Prop({ type: [FlagHistorySchema], default: [] }) history!: FlagHistoryEntry[];
}

export const FlagSchema = SchemaFactory.createForClass(Flag);
// Serves every lookup by key; unique.
FlagSchema.index({ key: 1 }, { unique: true });

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestDraft, type ChangeRequestStatus, type FlagChange, type FlagImpact } from '@dezky/contracts';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({ _id: false })
export class ChangeRequestPersonEntry {
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) email!: string;
}
const PersonSchema = SchemaFactory.createForClass(ChangeRequestPersonEntry);

@Schema({ _id: false })
export class ChangeRequestReviewEntry {
  @Prop({ type: String, enum: ['approve', 'reject'], required: true }) decision!: 'approve' | 'reject';
  @Prop({ default: '' }) comment!: string;
  @Prop({ type: PersonSchema, required: true }) actor!: ChangeRequestPersonEntry;
  @Prop({ required: true }) at!: Date;
}
const ReviewSchema = SchemaFactory.createForClass(ChangeRequestReviewEntry);

/** A change of a protected flag waiting for another administrator's approval (ChangeRequest in contracts). */
@Schema({ collection: 'flag_change_requests', timestamps: true, strict: 'throw', versionKey: false })
export class ChangeRequest {
  @Prop({ required: true }) flagKey!: string;
  /** What approval applies, as PATCH /flags/:key takes it (`protected: false` un-protects). */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) draft!: ChangeRequestDraft;
  @Prop({ type: Number, default: null }) revertTo!: number | null;
  /** `{ field: { from, to } }` against the drafted version. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) changes!: Record<string, FlagChange>;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) impact!: FlagImpact;
  @Prop({ type: PersonSchema, required: true }) author!: ChangeRequestPersonEntry;
  @Prop({ required: true }) baseVersion!: number;
  @Prop({ required: true }) baseEtag!: string;
  @Prop({ type: String, enum: CHANGE_REQUEST_STATUSES, required: true }) status!: ChangeRequestStatus;
  @Prop({ type: [ReviewSchema], default: [] }) reviews!: ChangeRequestReviewEntry[];
  @Prop({ required: true }) approvalsRequired!: number;
  @Prop({ type: Number, default: null }) appliedVersion!: number | null;
  /** +1 on every change; every transition is conditional on (status, revision). */
  @Prop({ required: true, default: 1 }) revision!: number;
}

export const ChangeRequestSchema = SchemaFactory.createForClass(ChangeRequest);
// Serves GET /change-requests?status= (the Requests page: pending ones, newest first).
ChangeRequestSchema.index({ status: 1, createdAt: -1 });
// Serves GET /change-requests?flag= (with or without status): one flag's requests, newest first.
ChangeRequestSchema.index({ flagKey: 1, createdAt: -1 });

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AUDIT_RESOURCE_TYPES, type AuditResourceType } from '@dezky/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

@Schema({ _id: false })
class AuditActor {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ required: true }) email!: string;
}

@Schema({ _id: false })
class AuditResource {
  @Prop({ type: String, enum: AUDIT_RESOURCE_TYPES, required: true }) type!: AuditResourceType;
  @Prop({ required: true }) id!: string;
}

const AuditActorSchema = SchemaFactory.createForClass(AuditActor);
const AuditResourceSchema = SchemaFactory.createForClass(AuditResource);

/** Append-only: the repository can insert and read entries, never change or delete them. */
@Schema({ collection: 'audit', strict: 'throw', versionKey: false })
export class AuditEntry {
  @Prop({ required: true, default: () => new Date() }) at!: Date;
  @Prop({ type: AuditActorSchema, required: true }) actor!: AuditActor;
  @Prop({ required: true }) action!: string;
  @Prop({ type: AuditResourceSchema, required: true }) resource!: AuditResource;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) before!: unknown;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) after!: unknown;
  /** The partners the entry is about (partnersOf): a partner's log is one indexed query. */
  @Prop({ type: [String], default: undefined }) partners?: string[];
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
// Serves GET /audit newest first, unfiltered and filtered by resource or by actor.
AuditEntrySchema.index({ at: -1 });
AuditEntrySchema.index({ 'resource.type': 1, 'resource.id': 1, at: -1 });
AuditEntrySchema.index({ 'actor.userId': 1, at: -1 });
AuditEntrySchema.index({ partners: 1, at: -1 });

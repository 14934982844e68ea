import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** What a change names: a flag (by key), a tenant or user (by id), a membership (`userId:tenantId`), or everything. */
export const CHANGE_KINDS = ['flag', 'tenant', 'membership', 'user', 'all'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGES_COLLECTION = 'changes';

/**
 * One entry of the change log: "this thing changed, read it again". Written after the change
 * itself, numbered from the `revisions` counter. Every API process follows the log (a change
 * stream where the server has one, polling otherwise) to keep its read models current. Entries
 * carry no state, so applying one twice, or late, is harmless.
 */
@Schema({ collection: CHANGES_COLLECTION, versionKey: false, strict: 'throw' })
export class Change {
  @Prop({ required: true }) seq!: number;
  @Prop({ type: String, enum: CHANGE_KINDS, required: true }) kind!: ChangeKind;
  @Prop({ type: String, required: true }) ref!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}

export const ChangeSchema = SchemaFactory.createForClass(Change);
// Followers read the log in order from the last number they applied.
ChangeSchema.index({ seq: 1 }, { unique: true });
// The log is a notification channel, not history (that is the audit log): a day is plenty.
ChangeSchema.index({ at: 1 }, { expireAfterSeconds: 24 * 3600 });

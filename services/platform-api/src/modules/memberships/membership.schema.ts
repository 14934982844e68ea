import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

import { MEMBERSHIP_ROLES, type MembershipRole } from '@dezky/contracts';

export { MEMBERSHIP_ROLES, type MembershipRole };

@Schema({ collection: 'memberships', timestamps: true, strict: 'throw' })
export class Membership {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: MEMBERSHIP_ROLES, required: true })
  role!: MembershipRole;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
// Serves the access check of every tenant-scoped request (is this user a member of this
// tenant?) and /me's list of the user's tenants; unique: one role per user and tenant.
MembershipSchema.index({ userId: 1, tenantId: 1 }, { unique: true });
// Serves listing a tenant's members.
MembershipSchema.index({ tenantId: 1 });
